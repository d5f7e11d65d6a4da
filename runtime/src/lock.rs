//! A monitor: a value behind a lock, whose holder can sleep until notified.
//!
//! A mutex and a condition variable are two objects that must be used
//! together just so: wait in a loop, notify after every change, and never
//! lock twice from one thread. [`Lock`] is both in one, with the rules built
//! in: [`LockGuard::wait`] takes a [`Signal`] to give up on, dropping any
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
//!             if !slot.wait(&Till::seconds(5.0)) {
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
//! * [`LockGuard::wait`] always holds the lock again when it returns, whether
//!   it was notified (`true`) or its till went (`false`). Like every condition
//!   wait, being woken says that something changed, not what: check the value.
//! * [`LockGuard::wait`] releases the lock *without* waking anyone: only a
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

pub(crate) mod holder;
#[cfg(all(test, loom))]
mod loom_tests;
#[cfg(feature = "lock-order")]
mod order;
#[cfg(all(test, not(loom)))]
mod tests;

use crate::blocked::Blocked;
use crate::signal::Signal;
use crate::sync::{Arc, AtomicUsize, Mutex, MutexGuard, Ordering, Thread, current, park};
pub(crate) use holder::HeldBy;
use std::borrow::Cow;
use std::collections::VecDeque;
use std::fmt;
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
pub struct Lock<T> {
    name: Option<Arc<str>>,
    /// What the lock-order checker knows it by: its name.
    #[cfg(feature = "lock-order")]
    class: order::Class,
    /// The holder's [number](holder::me), or [`holder::NOBODY`]: detects
    /// re-locking, and tells the dump who holds the Lock.
    owner: AtomicUsize,
    monitor: Mutex<Monitor<T>>,
}

struct Monitor<T> {
    /// Threads sleeping in [`LockGuard::wait`], oldest first.
    waiters: VecDeque<Arc<Waiter>>,
    value: T,
}

/// One thread asleep in [`LockGuard::wait`]; settled exactly once, by a
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
/// it refuses re-locking), so the guard stays on that thread.
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct LockGuard<'a, T> {
    lock: &'a Lock<T>,
    /// `None` only while [`LockGuard::wait`] sleeps without the lock.
    monitor: Option<MutexGuard<'a, Monitor<T>>>,
}

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
            monitor: Mutex::new(Monitor {
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
        let monitor = match self.monitor.try_lock() {
            Some(monitor) => monitor,
            None => self.lock_contended(),
        };
        self.owner.store(me, Ordering::Relaxed);
        #[cfg(feature = "lock-order")]
        order::taken(self);
        LockGuard {
            lock: self,
            monitor: Some(monitor),
        }
    }

    /// Blocks for the lock, telling the thread dump what it waits for.
    #[cold]
    #[inline(never)]
    fn lock_contended(&self) -> MutexGuard<'_, Monitor<T>> {
        let _blocked = Blocked::Lock(self.name.clone(), HeldBy::of(&self.owner)).enter();
        self.monitor.lock()
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
        match &self.name {
            Some(name) => format!("Lock {name:?}"),
            None => "an unnamed Lock".to_owned(),
        }
    }

    /// The value, when nobody else can be holding the lock.
    ///
    /// ```
    /// let mut lock = more_threads::Lock::new(1);
    /// *lock.get_mut() += 1;
    /// assert_eq!(*lock.lock(), 2);
    /// ```
    pub fn get_mut(&mut self) -> &mut T {
        &mut self.monitor.get_mut().value
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
    /// assert!(!guard.wait(&Till::seconds(0.001)), "nobody notified: the till went");
    /// *guard += 1; // still holding the lock
    /// ```
    #[cfg_attr(feature = "lock-order", track_caller)]
    pub fn wait(&mut self, till: &Signal) -> bool {
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
        let mut monitor = self.take_monitor();
        monitor.waiters.push_back(waiter.clone());
        self.lock.owner.store(holder::NOBODY, Ordering::Relaxed);
        #[cfg(feature = "lock-order")]
        order::released(self.lock);
        drop(monitor);

        {
            // Waiting to be notified, by whoever drops a guard next: no holder.
            let _blocked = Blocked::Lock(self.lock.name.clone(), HeldBy::NOBODY).enter();
            while waiter.outcome.load(Ordering::Acquire) == WAITING {
                park();
            }
        }
        drop(give_up);

        let mut monitor = self.lock.monitor.lock();
        self.lock.owner.store(holder::me(), Ordering::Relaxed);
        #[cfg(feature = "lock-order")]
        order::taken(self.lock);
        let notified = waiter.outcome.load(Ordering::Acquire) == NOTIFIED;
        if !notified {
            monitor.waiters.retain(|other| !Arc::ptr_eq(other, &waiter));
        }
        self.monitor = Some(monitor);
        notified
    }

    fn take_monitor(&mut self) -> MutexGuard<'a, Monitor<T>> {
        match self.monitor.take() {
            Some(monitor) => monitor,
            None => unreachable!("a LockGuard holds its lock outside of wait()"),
        }
    }

    fn monitor(&self) -> &Monitor<T> {
        match &self.monitor {
            Some(monitor) => monitor,
            None => unreachable!("a LockGuard holds its lock outside of wait()"),
        }
    }

    fn monitor_mut(&mut self) -> &mut Monitor<T> {
        match &mut self.monitor {
            Some(monitor) => monitor,
            None => unreachable!("a LockGuard holds its lock outside of wait()"),
        }
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
        let Some(mut monitor) = self.monitor.take() else {
            return;
        };
        self.lock.owner.store(holder::NOBODY, Ordering::Relaxed);
        #[cfg(feature = "lock-order")]
        order::released(self.lock);
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
        drop(monitor);
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
