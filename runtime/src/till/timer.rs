//! The one thread that makes every Till go on time.
//!
//! Deadlines wait in a binary heap of weak references, earliest first. The
//! timer thread sleeps on a condition variable until the earliest deadline
//! (the OS wakes it; nothing polls), makes every due Till go, and sleeps
//! again. A new Till earlier than every other wakes it to shorten its sleep.
//!
//! A dropped Till leaves a dead weak reference behind (which keeps the
//! Till's allocation). Rather than search the heap on every drop, drops of
//! pending Tills are counted, and the heap is swept of dead entries once they
//! are half of it, by the next `schedule` or by the timer thread, which the
//! drop that crosses the line wakes: amortised O(1) per Till, and memory
//! bounded by about twice the live Tills, whether or not new Tills follow.
//! Deadlines are kept as nanoseconds since one base instant, which makes an
//! entry 16 bytes instead of 24.
//!
//! # Why no sweep request is lost
//!
//! A drop counts itself, then reads the heap's length to decide whether to
//! ask for a sweep; whoever shrinks the heap (a sweep, the timer popping due
//! entries) publishes the new length, then reads the count to decide whether
//! to sweep again. That is a store-buffering pair: with all four operations
//! `SeqCst`, at least one side sees the other's write, so either the drop
//! asks (and wakes the timer thread, under its lock, so the wake-up cannot
//! fall between the thread's check and its sleep) or the shrinker sweeps
//! again itself. `loom_tests.rs` models it, and fails if either half goes.
//!
//! The state lives in a [`Timer`] (one static in the process), so that the
//! loom model can build its own; the timer thread itself is not modelled.

use super::Deadline;
use crate::signal::{Inner, Signal};
use crate::sync::real::OnceLock;
use crate::sync::{
    AtomicBool, AtomicUsize, Condvar, Mutex, Ordering as AtomicOrdering, Weak,
    const_fn_unless_loom, process_static,
};
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::time::{Duration, Instant};

/// The OS-visible name of the timer thread (at most 15 bytes, as Linux wants).
const THREAD_NAME: &str = "till-timer";

/// Sweep dead entries no more often than this, so small heaps never bother.
const MIN_SWEEP_LEN: usize = 1024;

/// A Till's `when` (what its Signal keeps for the timer) when it never goes
/// on its own.
pub(super) const NEVER: u64 = u64::MAX;

/// The instant deadlines are counted from.
fn base() -> Instant {
    static BASE: OnceLock<Instant> = OnceLock::new();
    *BASE.get_or_init(Instant::now)
}

/// A deadline as a Till keeps it: nanoseconds after [`base`] (584 years of
/// range in 8 bytes), or [`NEVER`]. A deadline past that range never comes.
pub(super) fn when(deadline: Deadline) -> u64 {
    match deadline {
        Deadline::At(at) => {
            u64::try_from(at.saturating_duration_since(base()).as_nanos()).unwrap_or(NEVER)
        }
        Deadline::Never => NEVER,
    }
}

/// [`when`] of `duration` from now, without making the Instant first.
pub(super) fn when_after(duration: Duration) -> u64 {
    let since_base = Instant::now().saturating_duration_since(base());
    u64::try_from(since_base.as_nanos() + duration.as_nanos()).unwrap_or(NEVER)
}

/// The deadline a Till's `when` stands for.
pub(super) fn deadline(when: u64) -> Deadline {
    if when == NEVER {
        Deadline::Never
    } else {
        Deadline::At(base() + Duration::from_nanos(when))
    }
}

/// Every pending Till, and what the drop path and the timer thread share.
pub(super) struct Timer {
    schedule: Mutex<Schedule>,
    /// Wakes the timer thread: a new earliest deadline, or a sweep request.
    wake: Condvar,
    /// Pending Tills dropped since the last sweep (an estimate: a Till dropped
    /// while it goes is counted too, which at worst sweeps a little early).
    dropped: AtomicUsize,
    /// The heap's length at the last change, for the drop path's cheap check.
    heap_len: AtomicUsize,
    /// Whether a drop already woke the timer thread to sweep: one wake-up per
    /// sweep, not one per drop.
    sweep_asked: AtomicBool,
    /// No heap shorter than this is swept.
    min_sweep_len: usize,
    /// Set by the shutdown's `go_all_pending`: every Till is due from then.
    shut_down: AtomicBool,
}

struct Schedule {
    heap: BinaryHeap<Scheduled>,
    /// Tills that never go on their own, kept only for `go_all_pending`.
    forever: Vec<Weak<Inner>>,
    sweep_heap_at: usize,
    sweep_forever_at: usize,
    thread_started: bool,
    shut_down: bool,
}

struct Scheduled {
    /// Nanoseconds after [`base`].
    at: u64,
    till: Weak<Inner>,
}

impl Scheduled {
    fn instant(&self) -> Instant {
        base() + Duration::from_nanos(self.at)
    }
}

// Ordered by deadline only, reversed: `BinaryHeap` is a max-heap and we want
// the earliest on top. Ties are harmless: both go in the same pass.
impl Ord for Scheduled {
    fn cmp(&self, other: &Self) -> Ordering {
        other.at.cmp(&self.at)
    }
}

impl PartialOrd for Scheduled {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Scheduled {
    fn eq(&self, other: &Self) -> bool {
        self.at == other.at
    }
}

impl Eq for Scheduled {}

/// What [`Timer::place`] did with a Till.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Placed {
    /// On the schedule, and the timer thread knows.
    Waiting,
    /// On the schedule, and no timer thread runs yet: start it.
    StartThread,
    /// The shutdown already made every Till go: make this one go now.
    ShutDown,
}

process_static! {
    /// The process's timer.
    fn timer() -> &'static Timer { Timer::new(MIN_SWEEP_LEN) }
}

impl Timer {
    const_fn_unless_loom! {
        pub(super) fn new(min_sweep_len: usize) -> Timer {
            Timer {
                schedule: Mutex::new(Schedule {
                    heap: BinaryHeap::new(),
                    forever: Vec::new(),
                    sweep_heap_at: min_sweep_len,
                    sweep_forever_at: min_sweep_len,
                    thread_started: false,
                    shut_down: false,
                }),
                wake: Condvar::new(),
                dropped: AtomicUsize::new(0),
                heap_len: AtomicUsize::new(0),
                sweep_asked: AtomicBool::new(false),
                min_sweep_len,
                shut_down: AtomicBool::new(false),
            }
        }
    }

    /// Puts `till`, which goes at `when`, on the schedule.
    pub(super) fn place(&self, when: u64, till: &Signal) -> Placed {
        let mut schedule = self.schedule.lock();
        if schedule.shut_down {
            return Placed::ShutDown;
        }
        let till = crate::sync::Arc::downgrade(&till.inner);
        if when == NEVER {
            schedule.forever.push(till);
            if schedule.forever.len() >= schedule.sweep_forever_at {
                schedule.forever.retain(|till| till.strong_count() > 0);
                schedule.sweep_forever_at = self.min_sweep_len.max(2 * schedule.forever.len());
            }
            return Placed::Waiting;
        }
        let earliest = schedule.heap.peek().is_none_or(|top| when < top.at);
        schedule.heap.push(Scheduled { at: when, till });
        let len = schedule.heap.len();
        let dead_are_half = self.dropped.load(AtomicOrdering::Relaxed) * 2 >= len;
        if len >= schedule.sweep_heap_at || (dead_are_half && len >= self.min_sweep_len) {
            self.sweep(&mut schedule);
        } else {
            // The heap grew: a drop that reads a stale, shorter length only
            // asks for a sweep early. No ordering needed (see the module doc).
            self.heap_len.store(len, AtomicOrdering::Relaxed);
        }
        if !schedule.thread_started {
            // The thread takes this lock first: it will see this entry.
            schedule.thread_started = true;
            Placed::StartThread
        } else {
            if earliest {
                self.wake.notify_one();
            }
            Placed::Waiting
        }
    }

    /// Called when a Till that had not gone is dropped: counts it, and wakes
    /// the timer thread to sweep once the dead entries are half of the heap.
    pub(super) fn till_dropped(&self, when: u64) {
        if when == NEVER {
            // Kept in `forever`, which the doubling rule alone sweeps.
            return;
        }
        if self.heap_len.load(AtomicOrdering::Relaxed) < self.min_sweep_len {
            // A small heap is swept by the doubling rule alone: skip the
            // count, which keeps making and dropping a Till cheap.
            return;
        }
        // Count, then read the length, both SeqCst: one half of the
        // store-buffering pair in the module doc. A read-modify-write, since
        // a lost count under racing drops could leave the dead half unswept.
        let dropped = self.dropped.fetch_add(1, AtomicOrdering::SeqCst) + 1;
        let len = self.heap_len.load(AtomicOrdering::SeqCst);
        if dropped * 2 >= len && !self.sweep_asked.swap(true, AtomicOrdering::Relaxed) {
            // Under the lock, so the timer thread is either asleep (and
            // woken) or yet to check the count: a notify cannot fall between.
            let _schedule = self.schedule.lock();
            self.wake.notify_one();
        }
    }

    /// Publishes the heap's length for the drop path, then says whether the
    /// dead entries counted since the last sweep are half of it: the other
    /// half of the store-buffering pair in the module doc.
    fn publish_len(&self, schedule: &Schedule) -> bool {
        let len = schedule.heap.len();
        self.heap_len.store(len, AtomicOrdering::SeqCst);
        len >= self.min_sweep_len && self.dropped.load(AtomicOrdering::SeqCst) * 2 >= len
    }

    /// Removes the entries of dropped Tills, and gives back memory when most
    /// of the heap went.
    ///
    /// Goes on while the dead entries counted since its start are half of
    /// the heap it published (drops racing it read the old, longer length,
    /// and may not have asked). The count only grows while Tills are being
    /// dropped, so this ends; a count that overstates (a Till counted, then
    /// removed by this very pass) costs one more pass, after which it is 0.
    fn sweep(&self, schedule: &mut Schedule) {
        loop {
            self.dropped.store(0, AtomicOrdering::SeqCst);
            self.sweep_asked.store(false, AtomicOrdering::Relaxed);
            schedule.heap.retain(|entry| entry.till.strong_count() > 0);
            #[cfg(all(test, not(loom)))]
            tests_hook::after_retain();
            let len = schedule.heap.len();
            if schedule.heap.capacity() > 4 * len.max(self.min_sweep_len) {
                schedule.heap.shrink_to(2 * len);
            }
            schedule.sweep_heap_at = self.min_sweep_len.max(2 * len);
            if !self.publish_len(schedule) {
                break;
            }
        }
    }

    /// One turn of the timer thread, under its lock: takes the Tills that are
    /// due at `now` (nanoseconds after [`base`]) off the heap, and sweeps if
    /// the dead entries are half of what is left.
    fn turn(&self, schedule: &mut Schedule, now: u64) -> Vec<Weak<Inner>> {
        let mut due = Vec::new();
        while schedule.heap.peek().is_some_and(|top| top.at <= now) {
            if let Some(entry) = schedule.heap.pop() {
                due.push(entry.till);
            }
        }
        if self.publish_len(schedule) {
            self.sweep(schedule);
        }
        due
    }

    /// The timer thread: forever, make the due Tills go, then sleep until
    /// the next.
    fn run(&self) {
        let mut schedule = self.schedule.lock();
        loop {
            let due = self.turn(&mut schedule, when(Deadline::At(Instant::now())));
            if !due.is_empty() {
                // Callbacks may make new Tills: never run them under our lock.
                drop(schedule);
                go_all(due);
                schedule = self.schedule.lock();
                continue;
            }
            schedule = match schedule.heap.peek().map(Scheduled::instant) {
                Some(at) => self.wake.wait_until(schedule, at),
                None => self.wake.wait(schedule),
            };
        }
    }

    /// Makes every pending Till go, and every later one be born gone.
    fn go_all_pending(&self) -> usize {
        let (heap, forever) = {
            let mut schedule = self.schedule.lock();
            schedule.shut_down = true;
            self.shut_down.store(true, AtomicOrdering::Release);
            (
                std::mem::take(&mut schedule.heap),
                std::mem::take(&mut schedule.forever),
            )
        };
        self.wake.notify_one();
        go_all(heap.into_iter().map(|entry| entry.till).chain(forever))
    }
}

/// Puts `till` on the process's schedule, starting the timer thread with the
/// first Till; `false` if the Till must go at once instead: the shutdown
/// already made every Till go, or the OS refused the timer thread.
///
/// Without a timer thread no Till would ever go, and a wait on one would
/// hang: so a Till armed then goes at once (early, never late), the refusal
/// is logged, and the next Till armed tries to start the thread again (it
/// serves the Tills left on the schedule).
pub(super) fn schedule(when: u64, till: &Signal) -> bool {
    schedule_on(timer(), start_thread, when, till)
}

/// [`schedule`] on `timer`, whose thread `start` starts.
fn schedule_on(
    timer: &Timer,
    start: impl FnOnce() -> std::io::Result<()>,
    when: u64,
    till: &Signal,
) -> bool {
    match timer.place(when, till) {
        Placed::Waiting => true,
        Placed::StartThread => match start() {
            Ok(()) => true,
            Err(error) => {
                timer.schedule.lock().thread_started = false;
                report!(
                    Error,
                    "more_threads::till",
                    "the OS refused the timer thread `{THREAD_NAME}` ({error}): a Till armed now goes at once, early"
                );
                false
            }
        },
        Placed::ShutDown => false,
    }
}

/// Whether a Till at `when` is due: its time has come, or the shutdown made
/// every Till go. The Till clock's hook for a Till nothing waits on.
pub(super) fn due(when: u64) -> bool {
    is_shut_down() || (when != NEVER && when <= self::when(Deadline::At(Instant::now())))
}

/// Whether the shutdown made every Till go.
pub(super) fn is_shut_down() -> bool {
    timer().shut_down.load(AtomicOrdering::Acquire)
}

/// [`Timer::till_dropped`] on the process's timer: the Till clock's hook.
pub(super) fn till_dropped(when: u64) {
    timer().till_dropped(when);
}

fn start_thread() -> std::io::Result<()> {
    crate::sync::real::thread::Builder::new()
        .name(THREAD_NAME.to_owned())
        .spawn(|| timer().run())
        .map(drop)
}

/// Makes the Tills that are still alive go; returns how many went by this call.
fn go_all(tills: impl IntoIterator<Item = Weak<Inner>>) -> usize {
    tills
        .into_iter()
        .filter_map(|till| till.upgrade())
        .filter(|till| till.go())
        .count()
}

pub(super) fn go_all_pending() -> usize {
    timer().go_all_pending()
}

/// How many entries the schedule holds, dead or alive (for memory tests).
#[cfg(all(test, not(loom)))]
pub(super) fn scheduled_len() -> usize {
    let schedule = timer().schedule.lock();
    schedule.heap.len() + schedule.forever.len()
}

/// Lets a test drop Tills in the middle of a sweep pass, after it saw them
/// alive and before it publishes the heap's new length: the race that the
/// loop in [`Timer::sweep`] closes.
#[cfg(all(test, not(loom)))]
pub(super) mod tests_hook {
    use std::cell::Cell;

    thread_local! {
        static AFTER_RETAIN: Cell<Option<Box<dyn FnOnce()>>> = const { Cell::new(None) };
    }

    /// Runs `f` once, on this thread, in the next sweep pass it runs.
    pub(in crate::till) fn once_after_retain(f: impl FnOnce() + 'static) {
        AFTER_RETAIN.with(|slot| slot.set(Some(Box::new(f))));
    }

    pub(super) fn after_retain() {
        if let Some(f) = AFTER_RETAIN.with(Cell::take) {
            f();
        }
    }

    /// Sweeps now, on the calling thread.
    pub(in crate::till) fn sweep_now() {
        let timer = super::timer();
        timer.sweep(&mut timer.schedule.lock());
    }

    /// The drops counted since the last sweep.
    pub(in crate::till) fn dropped() -> usize {
        super::timer().dropped.load(crate::sync::Ordering::Relaxed)
    }

    /// Arms `till` on a timer of its own whose thread the OS refuses, then
    /// on the same timer once the OS accepts: whether each was scheduled
    /// (rather than made to go at once), and whether the thread was then
    /// started.
    pub(in crate::till) fn refused_then_accepted(
        till: &crate::signal::Signal,
    ) -> (bool, bool, bool) {
        let timer = super::Timer::new(super::MIN_SWEEP_LEN);
        let refused = super::schedule_on(
            &timer,
            || Err(std::io::Error::other("Resource temporarily unavailable")),
            1,
            till,
        );
        let accepted = super::schedule_on(&timer, || Ok(()), 1, till);
        let started = timer.schedule.lock().thread_started;
        (refused, accepted, started)
    }
}

#[cfg(all(test, loom))]
pub(super) mod loom_model {
    //! What the loom model of the sweep request reaches inside the timer.

    use super::{Placed, Timer};
    use crate::signal::Signal;

    /// A timer whose heap is swept from `min_sweep_len` entries.
    pub(in crate::till) fn timer(min_sweep_len: usize) -> Timer {
        Timer::new(min_sweep_len)
    }

    /// Schedules `till` at `when` without a timer thread.
    pub(in crate::till) fn place(timer: &Timer, when: u64, till: &Signal) {
        let placed = timer.place(when, till);
        assert_ne!(placed, Placed::ShutDown);
    }

    /// What a drop of a pending Till at `when` does, once its Signal is gone.
    pub(in crate::till) fn dropped(timer: &Timer, when: u64) {
        timer.till_dropped(when);
    }

    /// One turn of the timer thread, as it runs when woken (nothing is due).
    pub(in crate::till) fn turn(timer: &Timer) {
        let due = timer.turn(&mut timer.schedule.lock(), 0);
        assert!(due.is_empty());
    }

    /// Whether a drop asked the timer thread to wake and sweep.
    pub(in crate::till) fn sweep_asked(timer: &Timer) -> bool {
        timer.sweep_asked.load(crate::sync::Ordering::SeqCst)
    }

    /// The heap's entries: (all, dead).
    pub(in crate::till) fn entries(timer: &Timer) -> (usize, usize) {
        let schedule = timer.schedule.lock();
        let dead = schedule
            .heap
            .iter()
            .filter(|entry| entry.till.strong_count() == 0)
            .count();
        (schedule.heap.len(), dead)
    }
}
