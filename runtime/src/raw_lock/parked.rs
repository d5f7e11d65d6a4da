//! The raw lock of every normal build: a byte whose waiters spin a little,
//! then sleep in `parking_lot_core`, and which [`RawLock::abort`] can wake
//! one chosen sleeper of, to give up.

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
