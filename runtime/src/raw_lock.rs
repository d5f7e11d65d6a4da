//! The mutual exclusion under a [`Lock`](crate::lock::Lock): a one-byte lock
//! whose sleeping waiters can be told to give up.
//!
//! It is `parking_lot`'s raw mutex, less its fairness: the same
//! compare-and-swap to lock and to unlock when nobody sleeps, the same
//! spin-then-park on `parking_lot_core` when somebody holds it. It exists for
//! one thing `parking_lot` cannot do: [`RawLock::abort`] wakes one chosen
//! waiter and makes its [`lock_or_abort`](RawLock::lock_or_abort) return
//! `false`. That is how a deadlock closed by a wait that cannot fail (a scope
//! waiting for its children) fails a Lock wait of the cycle instead
//! (`crate::deadlock`).
//!
//! Under loom and Miri the same API is a lock that spins, yielding: loom
//! cannot see `parking_lot_core`, and Miri refuses its futex calls (see
//! `crate::sync`). The models check the Lock and the deadlock check above
//! it; the sleeping is `parking_lot`'s design, less its fairness.

use crate::sync::AtomicBool;

/// Why a waiter gives up, read by [`RawLock::lock_or_abort`]: set by
/// whoever aborts it, before it calls [`RawLock::abort`].
pub(crate) type AbortFlag = AtomicBool;

#[cfg(loom)]
pub(crate) use modeled::RawLock;
#[cfg(not(any(loom, miri)))]
pub(crate) use parked::RawLock;
#[cfg(all(miri, not(loom)))]
pub(crate) use spinning::RawLock;

#[cfg(not(any(loom, miri)))]
mod parked {
    use super::AbortFlag;
    use parking_lot_core::{FilterOp, ParkResult, ParkToken, SpinWait, UnparkResult, UnparkToken};
    use std::sync::atomic::{AtomicU8, Ordering};

    const LOCKED: u8 = 1;
    /// Someone sleeps (or is about to) in `parking_lot_core` on this lock.
    const PARKED: u8 = 2;

    const TOKEN_NORMAL: UnparkToken = UnparkToken(0);
    const TOKEN_ABORT: UnparkToken = UnparkToken(1);

    pub(crate) struct RawLock {
        state: AtomicU8,
    }

    impl RawLock {
        pub(crate) const fn new() -> RawLock {
            RawLock {
                state: AtomicU8::new(0),
            }
        }

        /// Takes the lock if it is free; never waits.
        #[inline]
        pub(crate) fn try_lock(&self) -> bool {
            // The uncontended case in one instruction, as `parking_lot`'s.
            self.state
                .compare_exchange_weak(0, LOCKED, Ordering::Acquire, Ordering::Relaxed)
                .is_ok()
                || self.try_lock_slow()
        }

        #[cold]
        fn try_lock_slow(&self) -> bool {
            let mut state = self.state.load(Ordering::Relaxed);
            loop {
                if state & LOCKED != 0 {
                    return false;
                }
                match self.take(state) {
                    Ok(()) => return true,
                    Err(now) => state = now,
                }
            }
        }

        /// Takes the lock, free in `state` (its waiters' bit kept), unless
        /// the state changed: then the state now.
        #[inline]
        fn take(&self, state: u8) -> Result<(), u8> {
            self.state
                .compare_exchange_weak(state, state | LOCKED, Ordering::Acquire, Ordering::Relaxed)
                .map(drop)
        }

        /// Spins a few turns for the lock (as `lock_or_abort` would before
        /// it sleeps); says whether it got it.
        pub(crate) fn try_lock_spinning(&self) -> bool {
            let mut spin = SpinWait::new();
            let mut state = self.state.load(Ordering::Relaxed);
            loop {
                // A compare-and-swap only on a lock seen free: one on a held
                // lock would take its cache line from the holder, each turn.
                if state & LOCKED == 0 {
                    match self.take(state) {
                        Ok(()) => return true,
                        Err(now) => state = now,
                    }
                    continue;
                }
                // Somebody sleeps already: the lock is not about to be free.
                if state & PARKED != 0 || !spin.spin() {
                    return false;
                }
                state = self.state.load(Ordering::Relaxed);
            }
        }

        /// Blocks until this thread holds the lock (`true`), or until
        /// `aborted` is set and [`abort`](RawLock::abort) names `waiter`
        /// (`false`, without the lock). `waiter` is the caller's thread
        /// number, unique among the threads that may wait here.
        pub(crate) fn lock_or_abort(&self, waiter: usize, aborted: &AbortFlag) -> bool {
            let mut spin = SpinWait::new();
            let mut state = self.state.load(Ordering::Relaxed);
            loop {
                if state & LOCKED == 0 {
                    match self.take(state) {
                        Ok(()) => return true,
                        Err(now) => state = now,
                    }
                    continue;
                }
                if aborted.load(Ordering::Acquire) {
                    return false;
                }
                if state & PARKED == 0 && spin.spin() {
                    state = self.state.load(Ordering::Relaxed);
                    continue;
                }
                if state & PARKED == 0 {
                    if let Err(now) = self.state.compare_exchange_weak(
                        state,
                        state | PARKED,
                        Ordering::Relaxed,
                        Ordering::Relaxed,
                    ) {
                        state = now;
                        continue;
                    }
                }
                let key = self.key();
                // Run under the queue's lock, as `abort`'s filter is: an
                // abort set before this look is seen here, and one set after
                // finds this thread queued and unparks it.
                let validate = || {
                    self.state.load(Ordering::Relaxed) == LOCKED | PARKED
                        && !aborted.load(Ordering::Acquire)
                };
                let timed_out = |_, _| unreachable!("no timeout is given");
                // SAFETY: the key is this lock's address, used by no other
                // kind of wait; the callbacks neither panic (the unreachable
                // one is never called without a timeout) nor call into
                // `parking_lot_core`.
                let parked = unsafe {
                    parking_lot_core::park(key, validate, || {}, timed_out, ParkToken(waiter), None)
                };
                match parked {
                    ParkResult::Unparked(TOKEN_ABORT) => return false,
                    ParkResult::Unparked(_) | ParkResult::Invalid => {}
                    ParkResult::TimedOut => unreachable!("no timeout is given"),
                }
                spin.reset();
                state = self.state.load(Ordering::Relaxed);
            }
        }

        #[inline]
        pub(crate) fn unlock(&self) {
            if self
                .state
                .compare_exchange(LOCKED, 0, Ordering::Release, Ordering::Relaxed)
                .is_err()
            {
                self.unlock_slow();
            }
        }

        #[cold]
        #[inline(never)]
        fn unlock_slow(&self) {
            let callback = |result: UnparkResult| {
                // Clears LOCKED; keeps PARKED while others still sleep.
                let state = if result.have_more_threads { PARKED } else { 0 };
                self.state.store(state, Ordering::Release);
                TOKEN_NORMAL
            };
            // SAFETY: as in `lock_or_abort`; the callback neither panics nor
            // calls into `parking_lot_core`.
            unsafe {
                parking_lot_core::unpark_one(self.key(), callback);
            }
        }

        /// Wakes `waiter` if it sleeps here, to give up; the caller has set
        /// its flag first, so a waiter not yet asleep gives up on its own.
        pub(crate) fn abort(&self, waiter: usize) {
            let filter = |ParkToken(token)| {
                if token == waiter {
                    FilterOp::Unpark
                } else {
                    FilterOp::Skip
                }
            };
            let callback = |result: UnparkResult| {
                if result.unparked_threads != 0 && !result.have_more_threads {
                    self.state.fetch_and(!PARKED, Ordering::Relaxed);
                }
                TOKEN_ABORT
            };
            // SAFETY: as in `lock_or_abort`; neither callback panics nor
            // calls into `parking_lot_core`.
            unsafe {
                parking_lot_core::unpark_filter(self.key(), filter, callback);
            }
        }

        fn key(&self) -> usize {
            std::ptr::from_ref(self) as usize
        }
    }
}

#[cfg(all(miri, not(loom)))]
mod spinning {
    use super::AbortFlag;
    use crate::sync::{AtomicBool, Ordering};

    /// The same API as a lock that spins, yielding, instead of sleeping:
    /// Miri runs it as it runs any loop, and checks the accesses it orders.
    pub(crate) struct RawLock {
        locked: AtomicBool,
    }

    impl RawLock {
        pub(crate) fn new() -> RawLock {
            RawLock {
                locked: AtomicBool::new(false),
            }
        }

        pub(crate) fn try_lock(&self) -> bool {
            self.locked
                .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
                .is_ok()
        }

        pub(crate) fn try_lock_spinning(&self) -> bool {
            self.try_lock()
        }

        pub(crate) fn lock_or_abort(&self, _waiter: usize, aborted: &AbortFlag) -> bool {
            loop {
                if self.try_lock() {
                    return true;
                }
                if aborted.load(Ordering::Acquire) {
                    return false;
                }
                yield_now();
            }
        }

        pub(crate) fn unlock(&self) {
            self.locked.store(false, Ordering::Release);
        }

        /// The waiter sees its flag on its next turn.
        pub(crate) fn abort(&self, _waiter: usize) {}
    }

    use std::thread::yield_now;
}

#[cfg(loom)]
mod modeled {
    use super::AbortFlag;
    use crate::sync::{Mutex, MutexGuard, UnsafeCell};

    /// The lock as loom's mutex, its guard kept inside while locked, so
    /// that the models explore the Lock as they did before it had a raw
    /// lock of its own: a thread that sleeps on a loom mutex may not be
    /// unparked by anyone else (loom then takes it for runnable while the
    /// mutex is held), and unlocking must not sleep (`LockGuard::wait_till`'s
    /// till may unpark its thread at any moment). It cannot be aborted: the
    /// models close cycles only with waits that fail.
    pub(crate) struct RawLock {
        mutex: Mutex<()>,
        guard: UnsafeCell<Option<MutexGuard<'static, ()>>>,
    }

    impl RawLock {
        pub(crate) fn new() -> RawLock {
            RawLock {
                mutex: Mutex::new(()),
                guard: UnsafeCell::new(None),
            }
        }

        fn keep(&self, guard: MutexGuard<'_, ()>) {
            // SAFETY (loom models only): the guard borrows `self.mutex`,
            // and is dropped by `unlock` before the Lock (which owns `self`)
            // can move or drop: a locked Lock is borrowed by its LockGuard,
            // and no model forgets a LockGuard.
            let guard: MutexGuard<'static, ()> = unsafe { std::mem::transmute(guard) };
            // SAFETY: only the thread holding the mutex touches `guard`.
            self.guard.with_mut(|kept| unsafe { *kept = Some(guard) });
        }

        pub(crate) fn try_lock(&self) -> bool {
            match self.mutex.try_lock() {
                Some(guard) => {
                    self.keep(guard);
                    true
                }
                None => false,
            }
        }

        pub(crate) fn try_lock_spinning(&self) -> bool {
            self.try_lock()
        }

        pub(crate) fn lock_or_abort(&self, _waiter: usize, _aborted: &AbortFlag) -> bool {
            self.keep(self.mutex.lock());
            true
        }

        pub(crate) fn unlock(&self) {
            // SAFETY: only the thread holding the mutex touches `guard`.
            let guard = self.guard.with_mut(|kept| unsafe { (*kept).take() });
            drop(guard);
        }

        pub(crate) fn abort(&self, _waiter: usize) {}
    }
}
