//! The raw lock under loom, which cannot see `parking_lot_core`: loom's
//! mutex, so that the models explore every interleaving of the Lock and the
//! deadlock check above it.

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
