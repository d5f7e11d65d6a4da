//! Signals that go at a time: timeouts that compose with everything else.
//!
//! A timeout is usually a parameter of each blocking call, and each API
//! spells it differently. Here a timeout is a [`Signal`] that goes at a given
//! time, so "wait for this, but not forever, and not after I was asked to
//! stop" is one expression, `please_stop | Till::seconds(5.0)`, accepted by
//! every call that blocks.
//!
//! ```
//! use more_threads::{Signal, Till};
//! use std::time::{Duration, Instant};
//!
//! let please_stop = Signal::named("please_stop");
//! let started = Instant::now();
//! let gave_up = Till::after(Duration::from_millis(20));
//! (&please_stop | &gave_up).wait();
//! assert!(gave_up.is_go() && !please_stop.is_go());
//! assert!(started.elapsed() >= Duration::from_millis(20));
//! ```
//!
//! # Guarantees
//!
//! * A Till never goes before its time, but in one case: when the OS
//!   refuses to start the timer thread (at its thread limit), a Till armed
//!   then goes at once, and the refusal is logged; a wait on it would
//!   otherwise never end. The next Till armed tries to start the thread
//!   again. It goes as soon after its time as the OS wakes the timer
//!   thread (typically well under a millisecond): there is no polling
//!   interval.
//! * One timer thread, `till-timer`, serves every Till something waits on.
//!   A Till goes on it the first time something waits on it, combines it
//!   or hangs a callback on it; until then [`is_go`](Signal::is_go) reads
//!   the clock (it is one atomic load once armed, or once gone), so a Till
//!   made and dropped unused (a timeout that was not needed) costs its
//!   allocation only. The timer starts with the first Till armed and holds
//!   only weak references, so a dropped Till costs nothing but a slot that
//!   is swept away in amortised constant time.
//! * Zero, negative and NaN durations, and times in the past, give a Signal
//!   that has already gone. Infinite or unrepresentably far times give a
//!   Signal that never goes on its own. No input overflows or panics.
//! * Callbacks registered with [`Signal::then`] on a Till run on the timer
//!   thread, and delay every other Till while they run: keep them short.
//!   A Till that nobody holds any more is forgotten, callbacks and all: keep
//!   the Till (or a Signal combined from it) for as long as you want it to go.
//! * [`Till::go_all_pending`] (called by the orderly shutdown) makes every
//!   pending Till go at once, and every Till created afterwards is born gone,
//!   so nobody sleeps through shutdown.

mod timer;

#[cfg(all(test, loom))]
mod loom_tests;
#[cfg(all(test, not(loom)))]
mod tests;

use crate::signal::{Clock, Label, Signal};
use std::fmt;
use std::time::{Duration, Instant, SystemTime};

/// Makes Signals that go at a time. `Till` is only a namespace: every
/// constructor returns a [`Signal`].
///
/// ```
/// use more_threads::Till;
///
/// let soon = Till::seconds(0.005);
/// assert!(!soon.is_go());
/// soon.wait();
/// assert!(soon.is_go());
/// assert!(Till::seconds(0.0).is_go(), "zero means already gone");
/// ```
#[derive(Debug)]
pub enum Till {}

/// When a Till goes: at an instant, or never on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Deadline {
    At(Instant),
    Never,
}

/// What every Till hands its Signal: how to show when it goes, and the
/// timer's count of pending Tills dropped.
static CLOCK: Clock = Clock {
    describe: |when, f| write!(f, "till {}", timer::deadline(when)),
    due: timer::due,
    arm: timer::schedule,
    dropped_pending: timer::till_dropped,
};

impl Till {
    /// A Signal that goes `seconds` from now.
    ///
    /// Zero, negative and NaN mean "already gone"; infinite, or more seconds
    /// than an [`Instant`] can hold, mean "never on its own".
    ///
    /// ```
    /// use more_threads::Till;
    ///
    /// assert!(Till::seconds(-1.0).is_go());
    /// assert!(Till::seconds(f64::NAN).is_go());
    /// assert!(!Till::seconds(f64::INFINITY).is_go());
    /// assert!(!Till::seconds(0.5).is_go());
    /// ```
    pub fn seconds(seconds: f64) -> Signal {
        if seconds.is_nan() || seconds <= 0.0 {
            return born_gone();
        }
        match Duration::try_from_secs_f64(seconds) {
            Ok(duration) => Till::after(duration),
            Err(_) => Till::with_deadline(Deadline::Never),
        }
    }

    /// A Signal that goes `duration` from now; [`Duration::ZERO`] means
    /// already gone and [`Duration::MAX`] never on its own.
    ///
    /// ```
    /// use more_threads::Till;
    /// use std::time::Duration;
    ///
    /// let till = Till::after(Duration::from_millis(1));
    /// till.wait();
    /// assert!(!Till::after(Duration::MAX).is_go());
    /// ```
    pub fn after(duration: Duration) -> Signal {
        if duration.is_zero() {
            return born_gone();
        }
        Till::with_when(timer::when_after(duration))
    }

    /// A Signal that goes at `instant`; one in the past is already gone.
    ///
    /// ```
    /// use more_threads::Till;
    /// use std::time::{Duration, Instant};
    ///
    /// let start = Instant::now();
    /// Till::at(start + Duration::from_millis(2)).wait();
    /// assert!(start.elapsed() >= Duration::from_millis(2));
    /// assert!(Till::at(start).is_go());
    /// ```
    pub fn at(instant: Instant) -> Signal {
        if instant <= Instant::now() {
            return born_gone();
        }
        Till::with_deadline(Deadline::At(instant))
    }

    /// A Signal that goes at the wall-clock time `time`; one in the past is
    /// already gone.
    ///
    /// The time is converted to a monotonic deadline when the Till is made:
    /// changes to the system clock afterwards do not move it.
    ///
    /// ```
    /// use more_threads::Till;
    /// use std::time::{Duration, SystemTime};
    ///
    /// let in_a_moment = SystemTime::now() + Duration::from_millis(2);
    /// Till::at_system(in_a_moment).wait();
    /// assert!(Till::at_system(SystemTime::UNIX_EPOCH).is_go());
    /// ```
    pub fn at_system(time: SystemTime) -> Signal {
        match time.duration_since(SystemTime::now()) {
            Ok(from_now) => Till::after(from_now),
            Err(_) => born_gone(),
        }
    }

    /// Makes every pending Till go now, and every Till made from now on go at
    /// once; returns how many of the Tills something waited on went (the
    /// others, on no timer, go when next looked at).
    ///
    /// This is the step of the orderly shutdown that makes sure no thread
    /// sleeps through it. It cannot be undone: call it only when the process
    /// is ending.
    ///
    /// ```
    /// use more_threads::Till;
    ///
    /// // In a doctest this process is ours alone; in a program, leave this to
    /// // the shutdown.
    /// let waited_on = Till::seconds(3600.0);
    /// waited_on.then(|| println!("went at the shutdown"));
    /// let looked_at = Till::seconds(3600.0);
    /// assert!(Till::go_all_pending() >= 1);
    /// assert!(waited_on.is_go());
    /// assert!(looked_at.is_go());
    /// assert!(Till::seconds(3600.0).is_go(), "born gone after the shutdown");
    /// ```
    pub fn go_all_pending() -> usize {
        timer::go_all_pending()
    }

    /// A Till is made unarmed: the timer hears of it only when something
    /// waits on it, combines it or hangs a callback on it (then it goes on
    /// time, by the timer), and until then `is_go` reads the clock. So a
    /// Till made and dropped unused (the common "give up eventually" that
    /// was not needed) costs its allocation only.
    fn with_deadline(deadline: Deadline) -> Signal {
        Till::with_when(timer::when(deadline))
    }

    fn with_when(when: u64) -> Signal {
        if timer::is_shut_down() {
            return born_gone();
        }
        Signal::with_label(Label::Timed {
            when,
            clock: &CLOCK,
        })
    }
}

/// An already gone Till: nothing to schedule.
fn born_gone() -> Signal {
    let till = Signal::with_label(Label::Timed {
        when: timer::when(Deadline::At(Instant::now())),
        clock: &CLOCK,
    });
    till.go();
    till
}

impl fmt::Display for Deadline {
    /// `in 1.500s`, `due` (its time has come) or `never`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Deadline::Never => f.write_str("never"),
            Deadline::At(at) => match at.checked_duration_since(Instant::now()) {
                Some(left) if !left.is_zero() => write!(f, "in {:.3}s", left.as_secs_f64()),
                _ => f.write_str("due"),
            },
        }
    }
}
