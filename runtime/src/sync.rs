//! The one door through which the primitives reach atomics, locks and threads.
//!
//! Under `--cfg loom` every item here is loom's model-checked double, so the
//! same `Signal` and `Lock` code is explored under every interleaving; in a
//! normal build they are `std` atomics, `parking_lot` locks and `std` threads.
//! `Arc`/`Weak` are always `std`'s: loom's `Arc` has no `Weak`, and reference
//! counting is not what the models check.
//!
//! The wrappers give both worlds one small API: `lock()` returns the guard
//! directly (no poisoning, as in `parking_lot`) and `Condvar::wait` takes and
//! returns the guard by value (as in `std` and loom).

pub(crate) use std::sync::{Arc, Weak};

#[cfg(not(loom))]
mod imp {
    pub(crate) use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    pub(crate) use std::thread::{Thread, current, park};

    /// A mutex without poisoning: `parking_lot::Mutex`.
    #[derive(Debug, Default)]
    pub(crate) struct Mutex<T>(parking_lot::Mutex<T>);

    pub(crate) type MutexGuard<'a, T> = parking_lot::MutexGuard<'a, T>;

    impl<T> Mutex<T> {
        pub(crate) const fn new(value: T) -> Self {
            Mutex(parking_lot::Mutex::new(value))
        }

        #[inline]
        pub(crate) fn lock(&self) -> MutexGuard<'_, T> {
            self.0.lock()
        }

        #[inline]
        pub(crate) fn try_lock(&self) -> Option<MutexGuard<'_, T>> {
            self.0.try_lock()
        }

        pub(crate) fn into_inner(self) -> T {
            self.0.into_inner()
        }

        pub(crate) fn get_mut(&mut self) -> &mut T {
            self.0.get_mut()
        }
    }

    /// A condition variable over [`Mutex`]: `parking_lot::Condvar`.
    #[derive(Debug, Default)]
    pub(crate) struct Condvar(parking_lot::Condvar);

    impl Condvar {
        pub(crate) const fn new() -> Self {
            Condvar(parking_lot::Condvar::new())
        }

        pub(crate) fn wait<'a, T>(&self, mut guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
            self.0.wait(&mut guard);
            guard
        }

        #[inline]
        pub(crate) fn notify_all(&self) {
            self.0.notify_all();
        }
    }

    /// A number that identifies the calling thread among the live threads:
    /// the address of a thread-local, so it costs one TLS lookup and no
    /// initialisation. Never 0.
    #[inline]
    pub(crate) fn thread_identity() -> usize {
        std::thread_local!(static IDENTITY: u8 = const { 0 });
        IDENTITY.with(|identity| identity as *const u8 as usize)
    }
}

#[cfg(loom)]
mod imp {
    pub(crate) use loom::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    pub(crate) use loom::thread::{Thread, current, park};

    /// A mutex without poisoning, over loom's model of `std::sync::Mutex`.
    #[derive(Debug)]
    pub(crate) struct Mutex<T>(loom::sync::Mutex<T>);

    pub(crate) type MutexGuard<'a, T> = loom::sync::MutexGuard<'a, T>;

    impl<T> Mutex<T> {
        pub(crate) fn new(value: T) -> Self {
            Mutex(loom::sync::Mutex::new(value))
        }

        pub(crate) fn lock(&self) -> MutexGuard<'_, T> {
            self.0
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
        }

        pub(crate) fn try_lock(&self) -> Option<MutexGuard<'_, T>> {
            match self.0.try_lock() {
                Ok(guard) => Some(guard),
                Err(std::sync::TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
                Err(std::sync::TryLockError::WouldBlock) => None,
            }
        }

        pub(crate) fn into_inner(self) -> T {
            self.0
                .into_inner()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
        }

        pub(crate) fn get_mut(&mut self) -> &mut T {
            self.0
                .get_mut()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
        }
    }

    impl<T: Default> Default for Mutex<T> {
        fn default() -> Self {
            Mutex::new(T::default())
        }
    }

    /// A condition variable over [`Mutex`], modelled by loom.
    #[derive(Debug, Default)]
    pub(crate) struct Condvar(loom::sync::Condvar);

    impl Condvar {
        pub(crate) fn new() -> Self {
            Condvar(loom::sync::Condvar::new())
        }

        pub(crate) fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
            self.0
                .wait(guard)
                .unwrap_or_else(|poisoned| poisoned.into_inner())
        }

        pub(crate) fn notify_all(&self) {
            self.0.notify_all();
        }
    }

    /// A number that identifies the calling (loom) thread; never 0.
    pub(crate) fn thread_identity() -> usize {
        loom::thread_local!(static IDENTITY: u8 = 0);
        IDENTITY.with(|identity| identity as *const u8 as usize)
    }
}

pub(crate) use imp::*;
