//! The raw lock under Miri, which refuses `parking_lot_core`'s futex calls:
//! the same API as a lock that spins, yielding, instead of sleeping. Miri
//! runs it as it runs any loop, and checks the accesses it orders.

use super::AbortFlag;
use crate::sync::{AtomicBool, Ordering};

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
            std::thread::yield_now();
        }
    }

    pub(crate) fn unlock(&self) {
        self.locked.store(false, Ordering::Release);
    }

    /// The waiter sees its flag on its next turn.
    pub(crate) fn abort(&self, _waiter: usize) {}
}
