//! A monitor: a value behind a lock, whose holder can sleep until notified.
//!
//! A mutex and a condition variable are two objects that must be used
//! together just so: wait in a loop, notify after every change, and never
//! lock twice from one thread. [`Lock`] is both in one, with the rules built
//! in: [`LockGuard::wait_till`] takes a [`Signal`] to give up on, dropping any
//! guard wakes one waiter (so a change is never missed because someone forgot
//! to notify), and locking twice from one thread panics with the lock's name
//! instead of hanging.
//!
//! ```
//! use more_threads::{Lock, Till};
//! use std::sync::Arc;
//!
//! let mailbox = Arc::new(Lock::named("mailbox", None::<String>));
//! let reader = {
//!     let mailbox = mailbox.clone();
//!     std::thread::spawn(move || {
//!         let mut slot = mailbox.lock();
//!         while slot.is_none() {
//!             // Sleeps without the lock; wakes holding it again.
//!             if !slot.wait_till(&Till::seconds(5.0)) {
//!                 return None; // gave up
//!             }
//!         }
//!         slot.take()
//!     })
//! };
//! *mailbox.lock() = Some("hello".to_owned()); // the guard's drop wakes the reader
//! assert_eq!(reader.join().unwrap().as_deref(), Some("hello"));
//! ```
//!
//! # Guarantees
//!
//! * Mutual exclusion, without poisoning: a panic while holding the guard
//!   unlocks it, and the value is as the panicking code left it.
//! * Dropping a guard wakes exactly one waiter, if any, in the order they
//!   began to wait. A waiter that gave up at its till is skipped, so the
//!   notification passes to the next one and is never lost.
//! * [`LockGuard::wait_till`] always holds the lock again when it returns, whether
//!   it was notified (`true`) or its till went (`false`). Like every condition
//!   wait, being woken says that something changed, not what: check the value.
//! * [`LockGuard::wait_till`] releases the lock *without* waking anyone: only a
//!   dropped guard notifies (so two waiters never wake each other in a loop).
//!   The efficient shape is therefore "lock, wait until it is my turn, act,
//!   drop": the drop wakes the next waiter. Changing the state and then
//!   waiting under the same guard notifies nobody until some later drop,
//!   which costs an extra wake-up per turn in a ping-pong.
//! * Not reentrant: [`Lock::lock`] from the thread that holds the guard panics
//!   with the lock's name. Only that thread: any other waits, as on any mutex,
//!   even one started after a thread that ended holding the guard (forgotten
//!   with `mem::forget`), which waits for good; the thread dump then shows
//!   the Lock `held by` that thread, `which has ended`. Unfair, like
//!   `parking_lot::Mutex`: a thread that unlocks and locks again may get it
//!   back before a waiting thread.
//!
//! # Lock order (cargo feature `lock-order`)
//!
//! Two threads that take the same two Locks in opposite orders deadlock only
//! when they meet at the wrong moment, which a test run may never show. With
//! the feature on (`more-threads = { features = ["lock-order"] }`, off by
//! default, as lockdep is a kernel option), every named Lock taken while
//! holding another records "B after A" by name, for the whole process, and
//! the first acquisition that inverts an order seen before, directly or
//! through other Locks (A → B, B → C, then A taken holding C), logs one
//! ERROR on target `more_threads::lock_order` naming both orders, where each
//! Lock was taken (the `lock()` or `wait()` call sites) and on which thread,
//! though this acquisition did not deadlock. Each inversion is told once.
//!
//! ```
//! use more_threads::Lock;
//!
//! let accounts = Lock::named("accounts", 0);
//! let audit = Lock::named("audit", 0);
//! {
//!     let _accounts = accounts.lock();
//!     *audit.lock() += 1; // "audit" after "accounts"
//! }
//! {
//!     let _audit = audit.lock();
//!     // With the feature, logs once: lock order inverted: Lock "accounts"
//!     // taken at <this line> while holding Lock "audit" (taken at <the
//!     // line above>) on thread main; but earlier Lock "audit" was taken at
//!     // ... while holding Lock "accounts" (taken at ...) on thread main. ...
//!     *accounts.lock() += 1;
//! }
//! ```
//!
//! A name is a class: Locks that share a name are one node, and are not
//! ordered among themselves. Unnamed Locks are not checked. Without the
//! feature the checker is not compiled at all; with it, a named `lock()` and
//! its unlock cost a push and a pop on a thread-local stack, and a look-up
//! in a thread-local set when another named Lock is held
//! (`runtime/benches/README.md` has the figures).

#[cfg(all(test, loom))]
mod loom_tests;
#[cfg(feature = "lock-order")]
mod order;
#[cfg(all(test, not(loom)))]
mod tests;

use crate::deadlock::{self, Closing, LockWait, On};
use crate::holder::{self, HeldBy};
use crate::local::blocked::{self, Blocked};
use crate::raw_lock::RawLock;
use crate::signal::Signal;
use crate::sync::{Arc, AtomicUsize, Ordering, Thread, UnsafeCell, current, park};
use std::borrow::Cow;
use std::collections::VecDeque;
use std::fmt;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};

/// A monitor around a `T`: mutual exclusion plus wait/notify.
///
/// See the [module documentation](self) for what is guaranteed.
///
/// ```
/// use more_threads::Lock;
///
/// let counter = Lock::named("counter", 0);
/// *counter.lock() += 1;
/// assert_eq!(*counter.lock(), 1);
/// assert_eq!(counter.into_inner(), 1);
/// ```
///
/// # Deadlocks
///
/// A deadlock is a failure, named the moment it closes. A thread about to
/// sleep for a Lock, or to join a thread, first follows who it waits for:
/// the Lock's holder, what that holder waits for, and so on. If that leads
/// back to it, its wait would never end, and the call fails instead of
/// sleeping: [`lock`](Lock::lock) panics, a [`join`](crate::Thread::join)
/// returns [`WouldDeadlock`](crate::thread::ThreadErrorKind::WouldDeadlock), each
/// naming every thread and wait of the cycle, in order:
///
/// ```text
/// deadlock: main/transfer-2 waits for Lock "ledger-a" held by main/transfer-1,
/// which waits for Lock "ledger-b" held by main/transfer-2
/// ```
///
/// The panic is a failure like any other: it reaches the joiner, stops a
/// scope's siblings, and releases the Locks the thread held as it unwinds,
/// so the rest of the cycle goes on. When the wait that closes the cycle
/// cannot fail (the end of a scope, which cannot leave while its children
/// may borrow from it; a thread that has returned and waits for its
/// children), a Lock wait of the cycle panics instead.
///
/// ```
/// use more_threads::{Lock, Thread, thread::ThreadErrorKind};
/// use std::sync::Arc;
///
/// let ledger = Arc::new(Lock::named("ledger", 0));
/// let held = ledger.lock();
/// let child = {
///     let ledger = ledger.clone();
///     Thread::run("wants-it", move |_| *ledger.lock() += 1)?
/// };
/// // Until the child sleeps on the Lock, joining it is no deadlock yet.
/// while !more_threads::dump().to_string().contains("blocked on Lock \"ledger\"") {
///     std::thread::yield_now();
/// }
/// let error = child.join().unwrap_err();
/// assert_eq!(error.kind(), ThreadErrorKind::WouldDeadlock);
/// assert!(error.to_string().contains("which waits for Lock \"ledger\" held by"));
/// drop(held); // the child takes it now, and ends
/// # Ok::<(), more_threads::ThreadError>(())
/// ```
///
/// What is followed: a Lock wait to the Lock's holder; a join (and the end
/// of a scope, or of a thread, for its children, and a wait on a thread's
/// [`stopped`](crate::Thread::stopped) Signal) to the thread waited for.
/// What is not: a wait that anyone may end — a Queue's `pop` or `add`, a
/// [`Signal`] or [`Till`](crate::Till), a [`LockGuard::wait_till`] for a
/// notification, a child process — so nothing through them is ever taken
/// for a deadlock, and a deadlock through them is not seen (the shutdown
/// deadline still reports the threads stuck). The check runs only on the
/// way to sleep, never on the fast path: an uncontended `lock()` does not
/// pay for it.
pub struct Lock<T> {
    name: Option<Arc<str>>,
    /// What the lock-order checker knows it by: its name.
    #[cfg(feature = "lock-order")]
    class: order::Class,
    /// The holder's [number](holder::me), or [`holder::NOBODY`]: detects
    /// re-locking, and tells the dump who holds the Lock.
    owner: AtomicUsize,
    raw: RawLock,
    /// Read and written only by the thread that holds `raw`.
    monitor: UnsafeCell<Monitor<T>>,
}

// SAFETY: `Lock` is a mutex: the `T` inside is reached only by the thread
// holding `raw` (through a `LockGuard`, which is not `Send`) or through
// `&mut Lock`/`into_inner`. Sharing it hands the `T` from thread to thread,
// one at a time, so `T: Send` is all it needs, as for `std::sync::Mutex`.
unsafe impl<T: Send> Sync for Lock<T> {}

struct Monitor<T> {
    /// Threads sleeping in [`LockGuard::wait_till`], oldest first.
    waiters: VecDeque<Arc<Waiter>>,
    value: T,
}

/// One thread asleep in [`LockGuard::wait_till`]; settled exactly once, by a
/// notifying guard drop or by its till, whichever is first.
struct Waiter {
    outcome: AtomicUsize,
    thread: Thread,
}

const WAITING: usize = 0;
const NOTIFIED: usize = 1;
const GAVE_UP: usize = 2;

/// Proof that the current thread holds a [`Lock`]: gives access to the value,
/// and unlocks (waking one waiter) when dropped.
///
/// ```
/// use more_threads::Lock;
///
/// let names = Lock::new(vec!["a"]);
/// let mut guard = names.lock();
/// guard.push("b");
/// assert_eq!(guard.len(), 2);
/// ```
///
/// A guard is not `Send`: the lock remembers which thread holds it (that is how
/// it refuses re-locking, and how the deadlock check follows a wait to the
/// holder), so the guard stays on that thread.
///
/// ```compile_fail
/// let lock = more_threads::Lock::new(0);
/// let guard = lock.lock();
/// std::thread::scope(|s| {
///     s.spawn(move || drop(guard)); // a guard cannot move to another thread
/// });
/// ```
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct LockGuard<'a, T> {
    lock: &'a Lock<T>,
    /// `false` only while [`LockGuard::wait_till`] sleeps without the lock, or
    /// after a re-acquisition that failed (a deadlock) unwinds.
    held: bool,
    /// Not `Send` (see above).
    _on_this_thread: PhantomData<*const ()>,
}

// SAFETY: a shared guard gives only `&T`, as `&Lock`'s holder would.
unsafe impl<T: Sync> Sync for LockGuard<'_, T> {}

impl<T> Lock<T> {
    /// A lock around `value`, with no name.
    ///
    /// ```
    /// let lock = more_threads::Lock::new(String::new());
    /// lock.lock().push('x');
    /// ```
    pub fn new(value: T) -> Lock<T> {
        Lock::with_name(None, value)
    }

    /// A lock around `value` whose name appears in its `Debug`, in the
    /// re-locking panic and in thread dumps. With the `lock-order` feature,
    /// the name is what the order of Locks is checked by: Locks that share
    /// a name are one class (see the [module documentation](self)).
    ///
    /// ```
    /// let lock = more_threads::Lock::named("totals", 0_u64);
    /// assert_eq!(lock.name(), Some("totals"));
    /// ```
    pub fn named(name: impl Into<Cow<'static, str>>, value: T) -> Lock<T> {
        let name: Cow<'static, str> = name.into();
        Lock::with_name(Some(name.into()), value)
    }

    fn with_name(name: Option<Arc<str>>, value: T) -> Lock<T> {
        Lock {
            #[cfg(feature = "lock-order")]
            class: order::Class::of(name.as_ref()),
            name,
            owner: AtomicUsize::new(holder::NOBODY),
            raw: RawLock::new(),
            monitor: UnsafeCell::new(Monitor {
                waiters: VecDeque::new(),
                value,
            }),
        }
    }

    /// The name given to [`Lock::named`], if any.
    ///
    /// ```
    /// assert_eq!(more_threads::Lock::new(()).name(), None);
    /// ```
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// Blocks until this thread holds the lock, and returns the guard.
    ///
    /// # Panics
    ///
    /// If this thread already holds the lock: a monitor is not reentrant, and
    /// the alternative is a deadlock. The message names the lock. Only the
    /// thread that holds the guard is refused: another thread, even one
    /// started after a thread that ended holding the lock (its guard
    /// forgotten), waits for it as on any mutex.
    ///
    /// ```
    /// let lock = more_threads::Lock::named("config", 1);
    /// let guard = lock.lock();
    /// assert_eq!(*guard, 1);
    /// ```
    ///
    /// ```should_panic
    /// let lock = more_threads::Lock::named("config", 1);
    /// let first = lock.lock();
    /// let second = lock.lock(); // panics: Lock "config" is already held by this thread
    /// ```
    #[inline]
    #[cfg_attr(feature = "lock-order", track_caller)]
    pub fn lock(&self) -> LockGuard<'_, T> {
        let me = holder::me();
        // Only this thread is ever given `me`, so only it ever stores it, and
        // it clears it before unlocking: a relaxed load sees `me` exactly
        // when this thread holds the lock.
        if self.owner.load(Ordering::Relaxed) == me {
            self.relocked(me);
        }
        if !self.raw.try_lock() {
            self.lock_contended(me);
        }
        self.owner.store(me, Ordering::Relaxed);
        #[cfg(feature = "lock-order")]
        order::taken(self);
        LockGuard {
            lock: self,
            held: true,
            _on_this_thread: PhantomData,
        }
    }

    /// Blocks until this thread (number `me`) holds `raw`: spins a little,
    /// then tells the thread dump and the deadlock check what it waits for,
    /// and sleeps.
    ///
    /// # Panics
    ///
    /// If the sleep would never end: the Lock's holder waits, through a
    /// chain of Lock waits and joins, for this thread. The message names
    /// each thread and wait of the cycle.
    #[cold]
    #[inline(never)]
    fn lock_contended(&self, me: usize) {
        let began = blocked::began_now();
        if self.raw.try_lock_spinning() {
            return;
        }

        // SAFETY: `waiting` is a local of this call, dropped before it
        // returns or unwinds, while `self` is borrowed (`LockWait::new`).
        let on = On::Lock(unsafe { LockWait::new(&self.name, &self.owner, &self.raw) });
        let waiting = match deadlock::graph().wait(me, on, Closing::Fails) {
            Ok(waiting) => waiting,
            Err(cycle) => {
                blocked::failed_wait(|| format!("deadlock on {}", self.describe()));
                panic!("{cycle}")
            }
        };
        // After the check: a thread the dump shows blocked is in the graph.
        let _blocked = Blocked::Lock(self.name.clone(), HeldBy::of(&self.owner)).enter_since(began);
        if !self.raw.lock_or_abort(me, waiting.abort_flag()) {
            let why = waiting.why_aborted();
            drop(waiting);
            blocked::failed_wait(|| format!("deadlock on {}", self.describe()));
            panic!("{why}");
        }
    }

    #[cold]
    #[inline(never)]
    fn relocked(&self, me: usize) {
        if me == holder::UNTRACKED {
            // Shared by the threads after the numbers ran out: not a
            // proof that this one holds it, so it waits like the others.
            return;
        }
        panic!(
            "{} is already held by this thread: more_threads::Lock is not reentrant; \
             use the guard you hold instead of locking again",
            self.describe()
        );
    }

    fn describe(&self) -> String {
        blocked::describe_lock(self.name.as_deref())
    }

    /// The value, when nobody else can be holding the lock.
    ///
    /// ```
    /// let mut lock = more_threads::Lock::new(1);
    /// *lock.get_mut() += 1;
    /// assert_eq!(*lock.lock(), 2);
    /// ```
    pub fn get_mut(&mut self) -> &mut T {
        // SAFETY: `&mut self`: no guard, no other reference.
        self.monitor
            .with_mut(|monitor| unsafe { &mut (*monitor).value })
    }

    /// Consumes the lock and returns the value.
    ///
    /// ```
    /// let lock = more_threads::Lock::new(vec![1, 2]);
    /// assert_eq!(lock.into_inner(), vec![1, 2]);
    /// ```
    pub fn into_inner(self) -> T {
        self.monitor.into_inner().value
    }

    /// How many threads sleep in [`LockGuard::wait_till`]; for tests, which must
    /// look without a guard (its drop would wake one).
    #[cfg(test)]
    fn waiting(&self) -> usize {
        let taken = self
            .raw
            .lock_or_abort(holder::me(), &crate::raw_lock::AbortFlag::new(false));
        assert!(taken, "nobody aborts this wait");
        // SAFETY: holding `raw`, until the unlock below.
        let waiting = unsafe { self.monitor() }.waiters.len();
        self.raw.unlock();
        waiting
    }

    /// The monitor, to the thread that holds `raw`.
    ///
    /// # Safety
    ///
    /// The caller holds `raw`, and uses the reference only while it does.
    #[allow(clippy::mut_from_ref)]
    unsafe fn monitor(&self) -> &mut Monitor<T> {
        // SAFETY: holding `raw` excludes every other access (the caller's
        // promise).
        self.monitor.with_mut(|monitor| unsafe { &mut *monitor })
    }
}

impl<T: Default> Default for Lock<T> {
    /// An unnamed lock around `T::default()`.
    fn default() -> Lock<T> {
        Lock::new(T::default())
    }
}

impl<T> fmt::Debug for Lock<T> {
    /// The name and whether it is held; never blocks (the value is not shown,
    /// as reading it would need the lock).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = if self.owner.load(Ordering::Relaxed) == holder::NOBODY {
            "unlocked"
        } else {
            "locked"
        };
        write!(f, "Lock({:?}, {state})", self.name.as_deref().unwrap_or(""))
    }
}

impl<'a, T> LockGuard<'a, T> {
    /// Releases the lock and sleeps until another guard of this lock is
    /// dropped or `till` goes; holds the lock again when it returns.
    ///
    /// Returns `true` if woken by a guard's drop, `false` if `till` went
    /// first (at once, without releasing the lock, if `till` has already gone).
    ///
    /// ```
    /// use more_threads::{Lock, Till};
    ///
    /// let lock = Lock::named("idle", 0);
    /// let mut guard = lock.lock();
    /// assert!(!guard.wait_till(&Till::seconds(0.001)), "nobody notified: the till went");
    /// *guard += 1; // still holding the lock
    /// ```
    #[cfg_attr(feature = "lock-order", track_caller)]
    pub fn wait_till(&mut self, till: &Signal) -> bool {
        if till.is_go() {
            return false;
        }
        let waiter = Arc::new(Waiter {
            outcome: AtomicUsize::new(WAITING),
            thread: current(),
        });
        // The park flavour of `signal::wait`: settling and the unpark token
        // are both persistent, so a give-up that comes before the park is
        // seen by the loop's look at `outcome`.
        let give_up = {
            let waiter = waiter.clone();
            till.on_go(move || {
                if waiter.settle(GAVE_UP) {
                    waiter.thread.unpark();
                }
            })
        };
        if give_up.went() {
            return false;
        }
        self.monitor_mut().waiters.push_back(waiter.clone());
        self.lock.owner.store(holder::NOBODY, Ordering::Relaxed);
        #[cfg(feature = "lock-order")]
        order::released(self.lock);
        self.held = false;
        self.lock.raw.unlock();

        {
            // Waiting to be notified, by whoever drops a guard next: no holder.
            let _blocked = Blocked::Lock(self.lock.name.clone(), HeldBy::NOBODY).enter();
            while waiter.outcome.load(Ordering::Acquire) == WAITING {
                park();
            }
        }
        drop(give_up);

        // Taking the Lock back is a Lock wait like any: a cycle through it
        // panics here, the guard not holding the Lock.
        let me = holder::me();
        if !self.lock.raw.try_lock() {
            self.lock.lock_contended(me);
        }
        self.lock.owner.store(me, Ordering::Relaxed);
        self.held = true;
        #[cfg(feature = "lock-order")]
        order::taken(self.lock);
        let notified = waiter.outcome.load(Ordering::Acquire) == NOTIFIED;
        if !notified {
            self.monitor_mut()
                .waiters
                .retain(|other| !Arc::ptr_eq(other, &waiter));
        }
        notified
    }

    fn monitor(&self) -> &Monitor<T> {
        assert!(self.held, "a LockGuard holds its lock outside of wait()");
        // SAFETY: this guard holds `raw` (`held`), for as long as `&self`.
        unsafe { self.lock.monitor() }
    }

    fn monitor_mut(&mut self) -> &mut Monitor<T> {
        assert!(self.held, "a LockGuard holds its lock outside of wait()");
        // SAFETY: this guard holds `raw` (`held`), for as long as `&mut self`.
        unsafe { self.lock.monitor() }
    }
}

impl Waiter {
    /// Settles the wait with `outcome` if nobody settled it first; returns
    /// whether this call did. The caller then unparks the thread.
    fn settle(&self, outcome: usize) -> bool {
        self.outcome
            .compare_exchange(WAITING, outcome, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    }
}

impl<T> Drop for LockGuard<'_, T> {
    /// Unlocks, then wakes the oldest waiter that has not given up.
    fn drop(&mut self) {
        if !self.held {
            return;
        }
        self.lock.owner.store(holder::NOBODY, Ordering::Relaxed);
        #[cfg(feature = "lock-order")]
        order::released(self.lock);
        let monitor = self.monitor_mut();
        let woken = loop {
            match monitor.waiters.pop_front() {
                // A waiter whose till went first has settled itself: skip it,
                // so this notification reaches one that is still waiting.
                Some(waiter) => {
                    if waiter.settle(NOTIFIED) {
                        break Some(waiter);
                    }
                }
                None => break None,
            }
        };
        self.held = false;
        self.lock.raw.unlock();
        // Unpark after unlocking, so the waiter does not wake into a held lock.
        if let Some(waiter) = woken {
            waiter.thread.unpark();
        }
    }
}

impl<T> Deref for LockGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.monitor().value
    }
}

impl<T> DerefMut for LockGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.monitor_mut().value
    }
}

impl<T: fmt::Debug> fmt::Debug for LockGuard<'_, T> {
    /// The guarded value's `Debug`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}
