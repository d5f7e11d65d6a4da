//! One-shot, irreversible, thread-safe flags: the way threads tell each other
//! "now".
//!
//! A thread that sleeps in a loop to see whether it should stop either wakes
//! too often or notices too late. A [`Signal`] is a flag that goes exactly
//! once and wakes everybody waiting on it the moment it does, so a thread can
//! block until there is something to do *or* it was asked to stop, and never
//! poll.
//!
//! ```
//! use more_threads::{Signal, Till};
//! use std::thread;
//!
//! let please_stop = Signal::named("please_stop");
//! let worker = {
//!     let please_stop = please_stop.clone();
//!     thread::spawn(move || {
//!         let mut rounds = 0;
//!         while !please_stop.is_go() {
//!             rounds += 1;
//!             // Wait a millisecond, but not a moment after we are asked to stop.
//!             (&please_stop | Till::seconds(0.001)).wait();
//!         }
//!         rounds
//!     })
//! };
//! Till::seconds(0.01).wait();
//! assert!(please_stop.go(), "the first go() is the one that triggers");
//! assert!(!please_stop.go(), "go() is idempotent");
//! assert!(worker.join().unwrap() > 0);
//! ```
//!
//! # Guarantees
//!
//! * [`go`](Signal::go) happens-before every [`is_go`](Signal::is_go) that
//!   returns `true`, every [`wait`](Signal::wait) that returns, and every
//!   callback it runs (release/acquire on one atomic flag).
//! * [`is_go`](Signal::is_go) and `!signal` are one atomic load: they never
//!   lock and never block, so they are fit for the tightest loop. (A Till
//!   that nothing has waited on yet reads the clock as well: it is on no
//!   timer until then.)
//! * Callbacks given to [`then`](Signal::then) run exactly once, in the order
//!   they were registered, on the thread that called `go` (or at once on the
//!   caller's thread if the signal is already gone). A panicking callback is
//!   logged through the `log` facade and does not stop the others.
//! * Callbacks must not block. A callback that waits on a Signal that has not
//!   gone yet panics with a message naming that Signal; the panic is caught and
//!   logged like any other callback panic, so it is reported, not a deadlock.
//! * Signals combined with `|` and `&` hold a callback on each input only while
//!   they are alive and have not gone: dropping the combination, or its going,
//!   unregisters it. A loop that builds `please_stop | Till` on every turn
//!   keeps at most one callback pending on `please_stop`.
//! * A [`receiver`](Signal::receiver) holds nothing on the Signal once it is
//!   dropped: a `select!` loop may make one on every turn.
//! * `signal.await` ([`Wait`]) blocks no thread: it leaves the task's waker
//!   on the Signal, and `go` wakes it, outside the Signal's lock. A future
//!   dropped before the Signal goes takes its waker off: an async `select!`
//!   loop may make one on every turn, too.

mod blocked;
mod callbacks;
mod combine;
mod countdown;
mod future;
#[cfg(all(test, loom))]
mod loom_tests;
mod reason;
mod receiver;
mod stopped;
#[cfg(all(test, not(loom)))]
mod tests;
pub(crate) mod wait;
mod wakers;

use crate::local::Local;
use crate::local::blocked::Blocked;
use crate::sync::{Arc, AtomicU8, Condvar, Mutex, Ordering};
use callbacks::{Callback, Callbacks};
pub use countdown::Countdown;
pub use future::Wait;
pub use reason::StopReason;
pub(crate) use reason::one_line;
use receiver::ReadyChannel;
use std::borrow::Cow;
use std::fmt;
pub use stopped::Stopped;
use wakers::Wakers;

pub(crate) use callbacks::refuse_blocking_in_callback;
pub(crate) use combine::Mode;

/// A one-shot, irreversible, thread-safe flag: a promise that carries no value.
///
/// Clones share the flag: going through one clone is seen through all of
/// them. See the [module documentation](self) for what is guaranteed.
///
/// ```
/// use more_threads::Signal;
///
/// let done = Signal::named("done");
/// let seen_by_worker = done.clone();
/// let worker = std::thread::spawn(move || {
///     seen_by_worker.wait();
///     "woke up"
/// });
/// done.go();
/// assert_eq!(worker.join().unwrap(), "woke up");
/// ```
///
/// # Async
///
/// `&Signal` and `Signal` are [`IntoFuture`]: in async code,
/// `please_stop.await` waits for the Signal to go without blocking the
/// executor's thread, whatever the executor, as the future ([`Wait`]) only
/// leaves the task's waker on the Signal for [`go`](Signal::go) to wake. So an async server beside a thread tree can
/// stop when the tree's `please_stop` goes, or learn that a thread is done
/// from its `stopped()`. A future dropped before the Signal goes takes its
/// waker off, so a `select!` loop may make one on every turn.
///
/// ```
/// use more_threads::{Signal, Thread};
/// use std::time::Duration;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let please_stop = Signal::named("please_stop");
/// let stopper = {
///     let please_stop = please_stop.clone();
///     Thread::run("stopper", move |_| please_stop.go())?
/// };
/// let mut ticks = 0;
/// while !please_stop.is_go() {
///     tokio::select! {
///         () = &please_stop => break, // woken by the thread's go()
///         () = tokio::time::sleep(Duration::from_millis(1)) => ticks += 1,
///     }
/// }
/// assert!(stopper.join()?, "the stopper made it go");
/// assert_eq!(please_stop.pending_wakers(), 0, "each turn's future took its waker off");
/// # let _ = ticks;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Signal {
    pub(crate) inner: Arc<Inner>,
}

/// The shared state behind every clone of one [`Signal`].
pub(crate) struct Inner {
    /// The fast path: [`WAITING`], [`GONE`] (set once, under `state`'s lock,
    /// read without it), or [`UNARMED`] (a Till nobody waits on yet).
    stage: AtomicU8,
    pub(crate) label: Label,
    state: Mutex<State>,
    woken: Condvar,
}

/// What the Signal is, for people reading a `Debug` or a thread dump.
pub(crate) enum Label {
    Anonymous,
    Named(Cow<'static, str>),
    /// A thread's `stopped`: goes when that thread has ended, so a wait on
    /// it is a wait for the thread, which the deadlock check follows.
    EndOf(Cow<'static, str>, Arc<Local>),
    /// Made by a clock (a Till): `when` is the clock's own word for when it
    /// goes, which only the clock reads.
    Timed {
        when: u64,
        clock: &'static Clock,
    },
    /// [`Signal::never`]: goes never, keeps no callback.
    Never,
    Combined(Mode),
}

/// The hooks of a clock that makes Signals go at a time (the Till timer),
/// handed to each Signal it makes, so that a Signal needs to know nothing of
/// time or timers: it calls them with the `when` its clock gave it.
pub(crate) struct Clock {
    /// Shows when the Signal goes: `till in 1.500s`.
    pub(crate) describe: fn(u64, &mut fmt::Formatter<'_>) -> fmt::Result,
    /// Whether a Signal at `when` is due (or the clock has stopped for good).
    pub(crate) due: fn(u64) -> bool,
    /// Puts the Signal on the clock, the first time something waits on it;
    /// `false` if the clock has stopped (the Signal then goes at once).
    pub(crate) arm: fn(u64, &Signal) -> bool,
    /// Called when one of its armed Signals is dropped before it went.
    pub(crate) dropped_pending: fn(u64),
}

/// [`Inner::stage`]: not gone.
const WAITING: u8 = 0;
/// [`Inner::stage`]: gone, for good.
const GONE: u8 = 1;
/// [`Inner::stage`]: a Signal of a clock that nothing waits on, combines or
/// hangs a callback on yet, so the clock need not know it: [`is_go`]
/// reads the clock instead. The first of those arms it.
///
/// [`is_go`]: Signal::is_go
const UNARMED: u8 = 2;

#[derive(Default)]
struct State {
    callbacks: Callbacks,
    /// The inputs of a combined Signal, and why a Signal went.
    sources: Sources,
    /// What [`Signal::receiver`] hands out clones of.
    ready: ReadyChannel,
    /// The tasks awaiting it (`signal.await`).
    wakers: Wakers,
}

/// What few Signals have, boxed, so that the many that have none (every
/// Till among them) pay one pointer for it: the inputs of a combination,
/// and why a Signal went (a Till that goes for its deadline keeps no
/// reason: its label says it).
#[derive(Default)]
struct Sources(Option<Box<Rare>>);

#[derive(Default)]
struct Rare {
    /// A combination's inputs, and its registration on each.
    inputs: Vec<Source>,
    /// Why it went: set once, by the `go` that made it go, and shared with
    /// whatever its going sets off (its callbacks hand it down).
    reason: Option<Arc<StopReason>>,
}

impl Sources {
    fn new(inputs: Vec<Source>) -> Sources {
        Sources(Some(Box::new(Rare {
            inputs,
            reason: None,
        })))
    }

    fn iter(&self) -> impl Iterator<Item = &Source> {
        self.0.iter().flat_map(|rare| rare.inputs.iter())
    }

    fn get_mut(&mut self, index: usize) -> Option<&mut Source> {
        self.0.as_mut().and_then(|rare| rare.inputs.get_mut(index))
    }

    /// Takes the inputs out (the reason stays).
    fn take(&mut self) -> Vec<Source> {
        self.0
            .as_mut()
            .map_or_else(Vec::new, |rare| std::mem::take(&mut rare.inputs))
    }

    fn reason(&self) -> Option<&Arc<StopReason>> {
        self.0.as_ref().and_then(|rare| rare.reason.as_ref())
    }

    fn set_reason(&mut self, reason: Arc<StopReason>) {
        self.0.get_or_insert_with(Box::default).reason = Some(reason);
    }
}

pub(crate) struct Source {
    signal: Arc<Inner>,
    registration: Option<u64>,
}

impl Signal {
    /// A new Signal that has not gone, with no name.
    ///
    /// ```
    /// let signal = more_threads::Signal::new();
    /// assert!(!signal.is_go());
    /// ```
    pub fn new() -> Signal {
        Signal::with_label(Label::Anonymous)
    }

    /// A new Signal with a name, shown by `Debug`, in logs and in thread dumps.
    ///
    /// ```
    /// let signal = more_threads::Signal::named("files done");
    /// assert_eq!(signal.name(), Some("files done"));
    /// assert_eq!(format!("{signal:?}"), r#"Signal("files done", waiting)"#);
    /// ```
    pub fn named(name: impl Into<Cow<'static, str>>) -> Signal {
        Signal::with_label(Label::Named(name.into()))
    }

    /// The `stopped` Signal of the thread lent `thread`, named `name`.
    pub(crate) fn end_of(name: impl Into<Cow<'static, str>>, thread: Arc<Local>) -> Signal {
        Signal::with_label(Label::EndOf(name.into(), thread))
    }

    /// Tells the deadlock check that this thread is about to sleep until
    /// the thread this Signal is the end of has ended, until the returned
    /// wait drops; nothing for any other Signal. The wait cannot fail (it
    /// returns nothing to fail with): a cycle through it fails a Lock wait
    /// of the cycle (`crate::deadlock`).
    fn waiting_for_its_thread(&self) -> Option<crate::deadlock::Waiting<'static>> {
        use crate::deadlock::{Closing, Join, On, graph};
        let Label::EndOf(_, thread) = &self.inner.label else {
            return None;
        };
        let on = On::Threads(Join::Stopped, vec![thread.clone()]);
        graph().wait(crate::holder::me(), on, Closing::Sleeps).ok()
    }

    /// A Signal that never goes: [`go`](Signal::go) on it does nothing and
    /// returns `false`, a callback given to [`then`](Signal::then) is
    /// dropped at once (it could never run), and the calls that block take
    /// it as "no time limit" at no cost (`queue.pop_till(&Signal::never())` is
    /// crossbeam's own blocking receive). Every call returns the same one.
    ///
    /// ```
    /// use more_threads::Signal;
    ///
    /// let never = Signal::never();
    /// assert!(!never.go());
    /// assert!(!never.is_go());
    /// assert!(never.same_as(&Signal::never()));
    /// let please_stop = Signal::new();
    /// assert!((&please_stop | &never).same_as(&please_stop), "`a | never` is `a`");
    /// ```
    pub fn never() -> Signal {
        crate::sync::process_once! {
            fn never() -> &'static Signal { Signal::with_label(Label::Never) }
        }
        never().clone()
    }

    /// A Signal that has already gone. Every call returns the same one.
    ///
    /// ```
    /// use more_threads::Signal;
    ///
    /// let gone = Signal::gone();
    /// assert!(gone.is_go());
    /// assert!(!gone.go(), "it went long ago");
    /// assert!(gone.same_as(&Signal::gone()));
    /// ```
    pub fn gone() -> Signal {
        crate::sync::process_once! {
            fn gone() -> &'static Signal {
                {
                    let gone = Signal::named("gone");
                    gone.go();
                    gone
                }
            }
        }
        gone().clone()
    }

    /// Adds a callback to run on `go` (arming a Till, so that it goes), or
    /// hands it back if already gone.
    pub(crate) fn register(
        &self,
        callback: callbacks::Callback,
    ) -> Result<u64, callbacks::Callback> {
        self.arm();
        self.inner.register(callback)
    }

    /// Whether it left the unarmed stage: for a Till, that it was put on
    /// the timer (or went). For tests, which cannot count the timer's
    /// schedule while other tests arm Tills of their own.
    #[cfg(all(test, not(loom)))]
    pub(crate) fn is_armed(&self) -> bool {
        self.inner.stage.load(Ordering::Acquire) != UNARMED
    }

    /// Something waits on this Signal, combines it or hangs a callback on
    /// it: a Till nobody did so far goes on its clock now, so that it goes
    /// on time (at once, if it is due). A no-op for every other Signal.
    #[inline]
    pub(crate) fn arm(&self) {
        if self.inner.stage.load(Ordering::Acquire) == UNARMED {
            self.arm_slow();
        }
    }

    #[cold]
    fn arm_slow(&self) {
        let Label::Timed { when, clock } = self.inner.label else {
            return;
        };
        let armed = self.inner.stage.compare_exchange(
            UNARMED,
            WAITING,
            Ordering::AcqRel,
            Ordering::Acquire,
        );
        // Lost the race to another arm (or to a go): it is on the clock, or gone.
        if armed.is_err() {
            return;
        }
        if (clock.due)(when) || !(clock.arm)(when, self) {
            self.go();
        }
    }

    /// Whether this is [`Signal::never`]: a label check, no atomic.
    #[inline]
    pub(crate) fn is_never(&self) -> bool {
        matches!(self.inner.label, Label::Never)
    }

    pub(crate) fn with_label(label: Label) -> Signal {
        let stage = match label {
            Label::Timed { .. } => UNARMED,
            _ => WAITING,
        };
        Signal {
            inner: Arc::new(Inner {
                stage: AtomicU8::new(stage),
                label,
                state: Mutex::new(State::default()),
                woken: Condvar::new(),
            }),
        }
    }

    /// The name given to [`Signal::named`], if any.
    ///
    /// ```
    /// assert_eq!(more_threads::Signal::new().name(), None);
    /// ```
    pub fn name(&self) -> Option<&str> {
        match &self.inner.label {
            Label::Named(name) | Label::EndOf(name, _) => Some(name),
            _ => None,
        }
    }

    /// Makes the Signal go: wakes every waiter and runs every callback.
    ///
    /// Returns `true` if this call made it go, `false` if it had already gone
    /// (`go` is idempotent; exactly one caller ever sees `true`). The
    /// callbacks run on this thread, before `go` returns.
    ///
    /// ```
    /// let signal = more_threads::Signal::new();
    /// assert!(signal.go());
    /// assert!(!signal.go());
    /// assert!(signal.is_go());
    /// ```
    pub fn go(&self) -> bool {
        self.inner.go()
    }

    /// [`go`](Signal::go), recording `reason` as why, if this call makes it
    /// go (a Signal that went keeps its first reason). Whatever its going
    /// sets off goes for the same reason: the children of a thread whose
    /// `please_stop` this is, a combination waiting on it.
    ///
    /// `go` records a reason too: the thread that called it
    /// ([`StopReason::Asked`]), or, inside the callbacks of a Signal that
    /// went, that Signal's reason; a Till records [`StopReason::Deadline`].
    ///
    /// ```
    /// use more_threads::{Signal, Till, signal::StopReason};
    ///
    /// let please_stop = Signal::named("please_stop");
    /// let either = &please_stop | Till::seconds(60.0);
    /// assert!(please_stop.go_because(StopReason::other("the disk is full")));
    /// assert!(!please_stop.go_because(StopReason::other("too late: it went")));
    /// assert_eq!(either.reason(), Some(StopReason::other("the disk is full")));
    /// ```
    pub fn go_because(&self, reason: StopReason) -> bool {
        self.inner.go_for(|| Arc::new(reason))
    }

    /// Why the Signal went; `None` while it has not. Takes the Signal's
    /// lock: for the log line or the error after a stop, not for a loop's
    /// test (that is [`is_go`](Signal::is_go), one atomic load).
    ///
    /// ```
    /// use more_threads::{Signal, Till, signal::StopReason};
    ///
    /// let till = Till::seconds(0.0);
    /// assert_eq!(Signal::new().reason(), None);
    /// till.wait();
    /// assert!(matches!(till.reason(), Some(StopReason::Deadline { .. })));
    /// ```
    pub fn reason(&self) -> Option<StopReason> {
        self.inner.reason()
    }

    /// Whether the Signal has gone. One atomic load: never locks, never
    /// blocks (a Till nothing has waited on yet reads the clock too).
    ///
    /// `!&signal` is the same test negated. In loops, write
    /// `while !please_stop.is_go() { ... }`: clippy cannot see the atomic
    /// behind `while !please_stop`, and denies it as a loop that never ends.
    ///
    /// ```
    /// let please_stop = more_threads::Signal::new();
    /// assert!(!please_stop.is_go());
    /// assert!(!&please_stop);
    /// please_stop.go();
    /// assert!(please_stop.is_go());
    /// ```
    #[inline]
    pub fn is_go(&self) -> bool {
        self.inner.is_go()
    }

    /// `Err(Stopped)` once the Signal has gone, for `please_stop.check()?`:
    /// the quiet way for a worker to return because it was asked to stop.
    /// One atomic load, as [`is_go`](Signal::is_go).
    ///
    /// A thread whose worker returns this error (converted into its own
    /// error type, or boxed) ends as
    /// [`ThreadErrorKind::Stopped`](crate::thread::ThreadErrorKind::Stopped): not a
    /// failure, logged at DEBUG.
    ///
    /// # Errors
    ///
    /// [`Stopped`], naming the Signal, when it has gone.
    ///
    /// ```
    /// use more_threads::{BoxError, Thread, thread::ThreadErrorKind};
    ///
    /// let summer = Thread::run("summer", |please_stop| -> Result<u64, BoxError> {
    ///     let mut total = 0_u64;
    ///     for n in 0.. {
    ///         please_stop.check()?; // returns quietly once asked to stop
    ///         total += n;
    ///     }
    ///     Ok(total)
    /// })?;
    /// summer.stop();
    /// assert_eq!(summer.join().unwrap_err().kind(), ThreadErrorKind::Stopped);
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    #[inline]
    pub fn check(&self) -> Result<(), Stopped> {
        if self.is_go() {
            Err(Stopped::new(self.to_string(), self.reason()))
        } else {
            Ok(())
        }
    }

    /// Blocks until the Signal goes; returns at once if it already has.
    ///
    /// # Panics
    ///
    /// Inside a [`then`](Signal::then) callback, waiting on a Signal that has
    /// not gone panics (naming the Signal) instead of blocking the thread that
    /// called `go`.
    ///
    /// ```
    /// use more_threads::{Signal, Till};
    ///
    /// let soon = Till::seconds(0.01);
    /// soon.wait();
    /// assert!(soon.is_go());
    /// ```
    pub fn wait(&self) {
        if self.is_go() {
            return;
        }
        callbacks::forbid_blocking_in_callback(self, "wait()");
        self.arm();
        // Most waits between busy threads end within microseconds: spin and
        // yield a few turns before the sleep's system calls on both sides.
        // Not under loom, whose models would explore every turn.
        if !crate::sync::MODELED {
            let mut backoff = crate::backoff::Backoff::default();
            while backoff.snooze() {
                if self.is_go() {
                    return;
                }
            }
        }
        let _waiting = self.waiting_for_its_thread();
        let _blocked = Blocked::Signal(self.inner.clone()).enter();
        let mut state = self.inner.state.lock();
        while self.inner.stage.load(Ordering::Acquire) != GONE {
            state = self.inner.woken.wait(state);
        }
    }

    /// Blocks until this Signal goes or `till` goes, whichever is first.
    ///
    /// Returns `true` if this Signal has gone, `false` if the wait ended
    /// because `till` went while this one had not.
    ///
    /// # Panics
    ///
    /// Like [`wait`](Signal::wait), inside a `then` callback when neither
    /// Signal has gone.
    ///
    /// ```
    /// use more_threads::{Signal, Till};
    ///
    /// let never_sent = Signal::named("reply");
    /// assert!(!never_sent.wait_till(&Till::seconds(0.01)), "gave up at the till");
    ///
    /// let sent = Signal::new();
    /// sent.go();
    /// assert!(sent.wait_till(&Till::seconds(60.0)), "returns at once when gone");
    /// ```
    pub fn wait_till(&self, till: &Signal) -> bool {
        if self.is_go() {
            return true;
        }
        if till.is_go() {
            return false;
        }
        callbacks::forbid_blocking_in_callback(self, "wait_till()");
        let _waiting = self.waiting_for_its_thread();
        let _blocked = Blocked::Signal(self.inner.clone()).enter();
        self.arm();
        let stage = &self.inner.stage;
        wait::sleep_until(
            &self.inner,
            |inner| (&inner.state, &inner.woken),
            Some(till),
            |_| (stage.load(Ordering::Acquire) == GONE).then_some(()),
        );
        self.is_go()
    }

    /// Runs `f` exactly once when the Signal goes, on the thread that calls
    /// [`go`](Signal::go); at once, on this thread, if it has already gone.
    ///
    /// Callbacks run in registration order. They must be short and must not
    /// block: they delay the `go` caller and every callback after them. A
    /// panic in `f` is caught and logged (target `more_threads::signal`) and
    /// the remaining callbacks still run.
    ///
    /// ```
    /// use more_threads::Signal;
    /// use std::sync::{Arc, atomic::{AtomicUsize, Ordering}};
    ///
    /// let runs = Arc::new(AtomicUsize::new(0));
    /// let signal = Signal::new();
    /// let counter = runs.clone();
    /// signal.then(move || { counter.fetch_add(1, Ordering::SeqCst); });
    /// signal.go();
    /// signal.go();
    /// assert_eq!(runs.load(Ordering::SeqCst), 1, "exactly once");
    /// ```
    pub fn then(&self, f: impl FnOnce() + Send + 'static) {
        if let Err(f) = self.register(Box::new(f)) {
            callbacks::run_one(&self.inner, f);
        }
    }

    /// A Signal that goes when either `self` or `other` goes; `self | other`.
    ///
    /// If either has already gone, that one is returned (a clone) and no
    /// callback is registered.
    ///
    /// ```
    /// use more_threads::{Signal, Till};
    ///
    /// let please_stop = Signal::named("please_stop");
    /// let gave_up = Till::seconds(0.01).or(&please_stop);
    /// gave_up.wait();
    /// assert!(!please_stop.is_go(), "the till went, not please_stop");
    /// ```
    pub fn or(&self, other: &Signal) -> Signal {
        combine::combine(Mode::Any, self, other)
    }

    /// A Signal that goes when both `self` and `other` have gone; `self & other`.
    ///
    /// If either has already gone, the other is returned (a clone).
    ///
    /// ```
    /// use more_threads::Signal;
    ///
    /// let (reader_done, writer_done) = (Signal::new(), Signal::new());
    /// let both = reader_done.and(&writer_done);
    /// reader_done.go();
    /// assert!(!both.is_go());
    /// writer_done.go();
    /// assert!(both.is_go());
    /// ```
    pub fn and(&self, other: &Signal) -> Signal {
        combine::combine(Mode::All, self, other)
    }

    /// A Signal that goes when any of `signals` goes: `a | b | c` without
    /// the intermediate combinations. With none, it never goes.
    ///
    /// ```
    /// use more_threads::Signal;
    ///
    /// let shards: Vec<Signal> = (0..4).map(|_| Signal::new()).collect();
    /// let first_done = Signal::any(&shards);
    /// shards[2].go();
    /// assert!(first_done.is_go());
    /// ```
    pub fn any<'a>(signals: impl IntoIterator<Item = &'a Signal>) -> Signal {
        combine::combine_all(Mode::Any, signals.into_iter().collect())
    }

    /// A Signal that goes once every one of `signals` has gone: `a & b & c`
    /// without the intermediate combinations. With none, it has gone.
    ///
    /// Each input that goes looks at every other: for thousands of inputs,
    /// a [`Countdown`] costs less.
    ///
    /// ```
    /// use more_threads::Signal;
    ///
    /// let shards: Vec<Signal> = (0..3).map(|_| Signal::new()).collect();
    /// let all_done = Signal::all(&shards);
    /// shards[0].go();
    /// shards[1].go();
    /// assert!(!all_done.is_go());
    /// shards[2].go();
    /// assert!(all_done.is_go());
    /// ```
    pub fn all<'a>(signals: impl IntoIterator<Item = &'a Signal>) -> Signal {
        combine::combine_all(Mode::All, signals.into_iter().collect())
    }

    /// A channel receiver that becomes ready (disconnected) once the Signal
    /// goes, so a Signal can be one arm of `crossbeam_channel::select!`.
    ///
    /// Nothing is ever received from it: `recv` returns `Err(RecvError)`
    /// once the Signal has gone (at once, if it had), and blocks until then.
    /// Every receiver of one Signal is a clone of one channel's receiver: a
    /// call costs a reference count, and a dropped receiver leaves nothing
    /// on the Signal, so a loop may make one on every turn. A Signal that is
    /// dropped, every clone of it, without going makes its receivers ready
    /// too: nothing could make them ready later. The receiver of
    /// [`Signal::never`] is `crossbeam_channel::never()`.
    ///
    /// ```
    /// use crossbeam_channel::{select, unbounded};
    /// use more_threads::Signal;
    ///
    /// let please_stop = Signal::named("please_stop");
    /// let stopped = please_stop.receiver();
    /// let (jobs, queue) = unbounded::<u32>();
    /// jobs.send(7).unwrap();
    /// please_stop.go();
    /// let mut done = Vec::new();
    /// loop {
    ///     select! {
    ///         recv(queue) -> job => done.push(job.unwrap()),
    ///         recv(stopped) -> _ => break,
    ///     }
    /// }
    /// assert!(done.len() <= 1);
    /// ```
    pub fn receiver(&self) -> crossbeam_channel::Receiver<()> {
        if self.is_never() {
            return crossbeam_channel::never();
        }
        // Something waits on it now: a Till goes on its clock.
        self.arm();
        let mut state = self.inner.state.lock();
        // Checked under the lock that `go` takes the channel under, so a
        // receiver is either made from a channel `go` will drop, or ready.
        if self.inner.stage.load(Ordering::Relaxed) == GONE {
            return receiver::ready();
        }
        state.ready.receiver()
    }

    /// How many callbacks are registered and waiting for this Signal to go.
    ///
    /// For diagnostics and tests: a long-lived Signal such as `please_stop`
    /// should not accumulate callbacks.
    ///
    /// ```
    /// use more_threads::{Signal, Till};
    ///
    /// let please_stop = Signal::new();
    /// for _ in 0..3 {
    ///     (&please_stop | Till::seconds(0.0001)).wait();
    /// }
    /// assert_eq!(please_stop.pending_callbacks(), 0);
    /// ```
    pub fn pending_callbacks(&self) -> usize {
        self.inner.state.lock().callbacks.len()
    }

    /// How many async tasks have a waker on this Signal, awaiting it.
    ///
    /// One per [`Wait`] future pending now: a future that is dropped, or
    /// ready, takes its waker off. For diagnostics and tests, as
    /// [`pending_callbacks`](Signal::pending_callbacks): a `select!` loop
    /// over `please_stop` keeps it bounded.
    ///
    /// ```
    /// use more_threads::Signal;
    /// use std::future::{Future, IntoFuture};
    /// use std::pin::pin;
    /// use std::task::{Context, Waker};
    ///
    /// let please_stop = Signal::new();
    /// let mut cx = Context::from_waker(Waker::noop());
    /// for _ in 0..1000 {
    ///     // As a `select!` whose other arm wins does: poll once, then drop.
    ///     let _ = pin!((&please_stop).into_future()).poll(&mut cx);
    /// }
    /// assert_eq!(please_stop.pending_wakers(), 0);
    /// ```
    pub fn pending_wakers(&self) -> usize {
        self.inner.state.lock().wakers.len()
    }

    /// Whether `self` and `other` are clones of the same Signal.
    ///
    /// ```
    /// let a = more_threads::Signal::new();
    /// assert!(a.same_as(&a.clone()));
    /// assert!(!a.same_as(&more_threads::Signal::new()));
    /// ```
    pub fn same_as(&self, other: &Signal) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Inner {
    #[inline]
    pub(crate) fn is_go(&self) -> bool {
        match self.stage.load(Ordering::Acquire) {
            WAITING => false,
            GONE => true,
            _ => self.unarmed_is_go(),
        }
    }

    /// A Till nothing waits on: due by its clock, it goes now.
    #[cold]
    fn unarmed_is_go(&self) -> bool {
        match self.label {
            Label::Timed { when, clock } if (clock.due)(when) => {
                self.go();
                true
            }
            _ => self.stage.load(Ordering::Acquire) == GONE,
        }
    }

    /// Goes for the reason of a `go` given none: a Till's deadline, or
    /// [`StopReason::of_this_go`].
    /// Why it went, if it has.
    pub(crate) fn reason(&self) -> Option<StopReason> {
        self.shared_reason()
            .map(|reason| StopReason::clone(&reason))
    }

    /// [`reason`](Inner::reason), shared rather than copied.
    pub(crate) fn shared_reason(&self) -> Option<Arc<StopReason>> {
        if !self.is_go() {
            return None;
        }
        match (self.state.lock().sources.reason(), &self.label) {
            (Some(reason), _) => Some(reason.clone()),
            (None, Label::Timed { .. }) => Some(StopReason::a_deadline()),
            (None, _) => None,
        }
    }

    pub(crate) fn go(&self) -> bool {
        self.go_for(|| match self.label {
            Label::Timed { .. } => StopReason::a_deadline(),
            _ => StopReason::of_this_go(),
        })
    }

    /// Goes, recording `reason()` (called only if this call makes it go).
    pub(crate) fn go_for(&self, reason: impl FnOnce() -> Arc<StopReason>) -> bool {
        if matches!(self.label, Label::Never) {
            return false;
        }
        let (callbacks, ready, wakers, reason) = {
            let mut state = self.state.lock();
            if self.stage.load(Ordering::Relaxed) == GONE {
                return false;
            }
            let reason = reason();
            // A Till's deadline is said by its label: nothing to keep.
            let said_by_label = matches!(self.label, Label::Timed { .. })
                && Arc::ptr_eq(&reason, &StopReason::a_deadline());
            if !said_by_label {
                state.sources.set_reason(reason.clone());
            }
            // Let go of the inputs before anyone can see this Signal gone, so
            // a waiter that wakes and combines again never finds the old
            // registration still there. This takes the inputs' locks under
            // ours: the only nesting of Signal locks, always from a
            // combination to its inputs. Inputs exist before the combinations
            // made of them, so the nesting has no cycle and cannot deadlock.
            release(state.sources.take());
            self.stage.store(GONE, Ordering::Release);
            self.woken.notify_all();
            (
                std::mem::take(&mut state.callbacks),
                state.ready.take(),
                state.wakers.take(),
                reason,
            )
        };
        // Readies every receiver and wakes every task, as the waiters were
        // woken: outside the lock, which a `select!` that wakes may want at
        // once, and a waker may take (see `future`).
        drop(ready);
        wakers.wake_all(self);
        reason.hand_down(|| callbacks.run_all(self));
        true
    }

    /// Adds a callback to run on `go`, or hands it back if already gone. A
    /// Signal that never goes keeps none: the callback is dropped here.
    pub(crate) fn register(&self, callback: Callback) -> Result<u64, Callback> {
        if matches!(self.label, Label::Never) {
            drop(callback);
            return Ok(NEVER_RUNS);
        }
        let mut state = self.state.lock();
        if self.stage.load(Ordering::Relaxed) == GONE {
            return Err(callback);
        }
        Ok(state.callbacks.push(callback))
    }

    /// Forgets a callback that has not run; a no-op once it ran.
    pub(crate) fn unregister(&self, id: u64) {
        if id == NEVER_RUNS {
            return;
        }
        let removed = self.state.lock().callbacks.remove(id);
        // Drop the closure (and whatever it owns) outside the lock.
        drop(removed);
    }
}

/// The id of a callback registered on [`Signal::never`], which kept none.
const NEVER_RUNS: u64 = u64::MAX;

impl Drop for Inner {
    fn drop(&mut self) {
        if let Label::Timed { when, clock } = self.label {
            if self.stage.load(Ordering::Relaxed) == WAITING {
                // Armed: its clock holds an entry for it, dead now: say so.
                (clock.dropped_pending)(when);
            }
        }
        release(self.state.get_mut().sources.take());
    }
}

/// Unregisters a combined Signal from the inputs it no longer needs.
fn release(sources: Vec<Source>) {
    for source in sources {
        if let Some(id) = source.registration {
            source.signal.unregister(id);
        }
    }
}

impl Default for Signal {
    /// Same as [`Signal::new`].
    fn default() -> Signal {
        Signal::new()
    }
}

impl std::ops::Not for &Signal {
    type Output = bool;

    /// `!signal` is `!signal.is_go()`: one atomic load.
    #[inline]
    fn not(self) -> bool {
        !self.is_go()
    }
}

impl std::ops::Not for Signal {
    type Output = bool;

    /// `!signal` is `!signal.is_go()`: one atomic load.
    #[inline]
    fn not(self) -> bool {
        !self.is_go()
    }
}

impl fmt::Display for Signal {
    /// What the Signal is: its name, `till in 1.500s`, `(a | b)`, or `signal`.
    ///
    /// ```
    /// use more_threads::{Signal, Till};
    ///
    /// let please_stop = Signal::named("please_stop");
    /// let either = &please_stop | Till::seconds(90.0);
    /// assert!(either.to_string().starts_with("(please_stop | till in "));
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

impl fmt::Display for Inner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.describe(f, false)
    }
}

impl Inner {
    /// Writes what the Signal is; `stable`: a Till without its time.
    fn describe(&self, f: &mut fmt::Formatter<'_>, stable: bool) -> fmt::Result {
        match &self.label {
            Label::Anonymous => f.write_str("signal"),
            Label::Never => f.write_str("never"),
            Label::Named(name) | Label::EndOf(name, _) => f.write_str(name),
            Label::Timed { .. } if stable => f.write_str("till"),
            Label::Timed { when, clock } => (clock.describe)(*when, f),
            Label::Combined(mode) => {
                // Clone the inputs out, so no two Signal locks are ever held at once.
                let inputs: Vec<Signal> = self
                    .state
                    .lock()
                    .sources
                    .iter()
                    .map(|source| Signal {
                        inner: source.signal.clone(),
                    })
                    .collect();
                if inputs.is_empty() {
                    return write!(f, "({})", mode.describe_released());
                }
                f.write_str("(")?;
                for (index, input) in inputs.iter().enumerate() {
                    if index > 0 {
                        write!(f, " {} ", mode.operator())?;
                    }
                    input.inner.describe(f, stable)?;
                }
                f.write_str(")")
            }
        }
    }
}

impl fmt::Debug for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = if self.is_go() { "gone" } else { "waiting" };
        write!(f, "Signal({:?}, {state})", self.to_string())
    }
}
