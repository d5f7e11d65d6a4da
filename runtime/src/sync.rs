//! The one door through which the primitives reach atomics, locks and threads.
//!
//! Under `--cfg loom` every item of the door is loom's model-checked double,
//! so the same `Signal` and `Lock` code is explored under every interleaving;
//! in a normal build they are `std` atomics, `parking_lot` locks and `std`
//! threads. `Arc`/`Weak` are always `std`'s: loom's `Arc` has no `Weak`, and
//! reference counting is not what the models check.
//!
//! The wrappers give every world one small API: `lock()` returns the guard
//! directly (no poisoning, as in `parking_lot`) and `Condvar::wait` takes and
//! returns the guard by value (as in `std` and loom).
//!
//! [`real`] is the same API over real locks in every build, for the few
//! statics that loom cannot build (the Till timer's schedule). Under Miri the
//! real locks are `std`'s rather than `parking_lot`'s: `parking_lot_core`
//! 0.9 hands the futex syscall a reference where Miri (since its nightly of
//! 2026-09-11) checks for a raw pointer, and reports undefined behaviour on
//! every park; `std`'s futex calls were fixed with that check.

pub(crate) use std::sync::{Arc, Weak};

/// Whether this build is a loom model (`--cfg loom`): for the few numbers
/// and turns that a model must keep small, as a plain `if` rather than a
/// `cfg` of their own, so that both sides compile (and clippy reads them) in
/// every build.
pub(crate) const MODELED: bool = cfg!(loom);

/// Real locks, atomics and threads, whatever the build: for the statics
/// loom cannot build, and for the OS threads that the loom models never start
/// (a model checks the protocol those threads run, not the threads).
///
/// The locks are `parking_lot`'s, or `std`'s under Miri.
// Under loom, only the statics loom cannot build use it.
#[cfg_attr(loom, allow(dead_code, unused_imports))]
pub(crate) mod real {
    use std::time::Instant;

    pub(crate) use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};
    pub(crate) use std::sync::{Once, OnceLock};

    /// OS threads: the tree starts real ones in every build.
    pub(crate) mod thread {
        pub(crate) use std::thread::{Builder, JoinHandle, current, panicking, yield_now};
    }

    /// A mutex without poisoning.
    #[derive(Debug, Default)]
    pub(crate) struct Mutex<T>(Inner<T>);

    #[cfg(not(miri))]
    type Inner<T> = parking_lot::Mutex<T>;
    #[cfg(miri)]
    type Inner<T> = std::sync::Mutex<T>;

    #[cfg(not(miri))]
    pub(crate) type MutexGuard<'a, T> = parking_lot::MutexGuard<'a, T>;
    #[cfg(miri)]
    pub(crate) type MutexGuard<'a, T> = std::sync::MutexGuard<'a, T>;

    impl<T> Mutex<T> {
        pub(crate) const fn new(value: T) -> Self {
            Mutex(Inner::new(value))
        }

        #[inline]
        pub(crate) fn lock(&self) -> MutexGuard<'_, T> {
            #[cfg(not(miri))]
            return self.0.lock();
            #[cfg(miri)]
            return self
                .0
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }

        /// For `try_lock_until` under Miri.
        #[cfg(miri)]
        fn try_lock(&self) -> Option<MutexGuard<'_, T>> {
            match self.0.try_lock() {
                Ok(guard) => Some(guard),
                Err(std::sync::TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
                Err(std::sync::TryLockError::WouldBlock) => None,
            }
        }

        /// Locks, unless `deadline` passes first.
        pub(crate) fn try_lock_until(&self, deadline: Instant) -> Option<MutexGuard<'_, T>> {
            #[cfg(not(miri))]
            return self.0.try_lock_until(deadline);
            #[cfg(miri)]
            loop {
                if let Some(guard) = self.try_lock() {
                    return Some(guard);
                }
                if Instant::now() >= deadline {
                    return None;
                }
                std::thread::yield_now();
            }
        }

        pub(crate) fn into_inner(self) -> T {
            #[cfg(not(miri))]
            return self.0.into_inner();
            #[cfg(miri)]
            return self
                .0
                .into_inner()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }

        pub(crate) fn get_mut(&mut self) -> &mut T {
            #[cfg(not(miri))]
            return self.0.get_mut();
            #[cfg(miri)]
            return self
                .0
                .get_mut()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }

    /// A condition variable over [`Mutex`].
    #[derive(Debug, Default)]
    pub(crate) struct Condvar(CondvarInner);

    #[cfg(not(miri))]
    type CondvarInner = parking_lot::Condvar;
    #[cfg(miri)]
    type CondvarInner = std::sync::Condvar;

    impl Condvar {
        pub(crate) const fn new() -> Self {
            Condvar(CondvarInner::new())
        }

        #[cfg_attr(miri, allow(unused_mut))]
        pub(crate) fn wait<'a, T>(&self, mut guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
            #[cfg(not(miri))]
            {
                self.0.wait(&mut guard);
                guard
            }
            #[cfg(miri)]
            self.0
                .wait(guard)
                .unwrap_or_else(|poisoned| poisoned.into_inner())
        }

        /// Waits until notified or `deadline` passes (or spuriously).
        #[cfg_attr(miri, allow(unused_mut))]
        pub(crate) fn wait_until<'a, T>(
            &self,
            mut guard: MutexGuard<'a, T>,
            deadline: Instant,
        ) -> MutexGuard<'a, T> {
            #[cfg(not(miri))]
            {
                self.0.wait_until(&mut guard, deadline);
                guard
            }
            #[cfg(miri)]
            {
                let timeout = deadline.saturating_duration_since(Instant::now());
                match self.0.wait_timeout(guard, timeout) {
                    Ok((guard, _)) => guard,
                    Err(poisoned) => poisoned.into_inner().0,
                }
            }
        }

        #[inline]
        pub(crate) fn notify_one(&self) {
            self.0.notify_one();
        }

        #[inline]
        pub(crate) fn notify_all(&self) {
            self.0.notify_all();
        }
    }
}

#[cfg(not(loom))]
mod imp {
    pub(crate) use super::real::{Condvar, Mutex, MutexGuard};

    /// `std::cell::UnsafeCell` with loom's closure API, so that the same
    /// code is checked for racing accesses under loom.
    #[derive(Debug)]
    pub(crate) struct UnsafeCell<T>(std::cell::UnsafeCell<T>);

    impl<T> UnsafeCell<T> {
        pub(crate) const fn new(value: T) -> UnsafeCell<T> {
            UnsafeCell(std::cell::UnsafeCell::new(value))
        }

        #[inline]
        pub(crate) fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
            f(self.0.get())
        }

        #[inline]
        pub(crate) fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
            f(self.0.get())
        }

        pub(crate) fn into_inner(self) -> T {
            self.0.into_inner()
        }
    }
    pub(crate) use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
    pub(crate) use std::thread::{Thread, current, park};
}

#[cfg(loom)]
mod imp {
    pub(crate) use loom::cell::UnsafeCell;
    pub(crate) use loom::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
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

        /// For the Lock's raw lock in the models.
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

        /// Waits until notified (loom does not model time: a model sees
        /// the deadline as a wait that may end early, as a spurious wake-up).
        pub(crate) fn wait_until<'a, T>(
            &self,
            guard: MutexGuard<'a, T>,
            deadline: std::time::Instant,
        ) -> MutexGuard<'a, T> {
            let timeout = deadline.saturating_duration_since(std::time::Instant::now());
            match self.0.wait_timeout(guard, timeout) {
                Ok((guard, _)) => guard,
                Err(poisoned) => poisoned.into_inner().0,
            }
        }

        pub(crate) fn notify_one(&self) {
            self.0.notify_one();
        }

        pub(crate) fn notify_all(&self) {
            self.0.notify_all();
        }
    }
}

pub(crate) use imp::*;

/// `thread_local!` for a value made by a constant expression: std's with a
/// `const { ... }` initialiser (no lazy initialisation: a read is one
/// thread-local load), or loom's, one per model thread and dropped when it
/// ends (std's would be shared by all the threads of a model).
macro_rules! const_thread_local {
    ($($(#[$attr:meta])* static $name:ident: $t:ty = $init:expr;)*) => {
        #[cfg(not(loom))]
        std::thread_local! {
            $($(#[$attr])* static $name: $t = const { $init };)*
        }
        #[cfg(loom)]
        loom::thread_local! {
            $($(#[$attr])* static $name: $t = $init;)*
        }
    };
}
pub(crate) use const_thread_local;

/// A `const fn`, except under loom, whose locks and atomics are not made by
/// `const` constructors: one body for both worlds.
macro_rules! const_fn_unless_loom {
    ($(#[$attr:meta])* $vis:vis fn $($rest:tt)*) => {
        #[cfg(not(loom))]
        $(#[$attr])* $vis const fn $($rest)*
        #[cfg(loom)]
        $(#[$attr])* $vis fn $($rest)*
    };
}
pub(crate) use const_fn_unless_loom;

/// A function returning the process's one `T`: a `static` made by a
/// constant expression, or under loom a `lazy_static`, made again for each
/// execution of a model (a `static` would carry one execution's state into
/// the next).
macro_rules! process_static {
    ($(#[$attr:meta])* $vis:vis fn $name:ident() -> &'static $t:ty { $init:expr }) => {
        $(#[$attr])*
        $vis fn $name() -> &'static $t {
            #[cfg(not(loom))]
            {
                static VALUE: $t = $init;
                &VALUE
            }
            #[cfg(loom)]
            {
                loom::lazy_static! {
                    static ref VALUE: $t = $init;
                }
                &VALUE
            }
        }
    };
}
pub(crate) use process_static;

/// `thread_local!` with a lazy initialiser: std's, or loom's, one per model
/// thread.
macro_rules! lazy_thread_local {
    ($($(#[$attr:meta])* static $name:ident: $t:ty = $init:expr;)*) => {
        #[cfg(not(loom))]
        std::thread_local! {
            $($(#[$attr])* static $name: $t = $init;)*
        }
        #[cfg(loom)]
        loom::thread_local! {
            $($(#[$attr])* static $name: $t = $init;)*
        }
    };
}
pub(crate) use lazy_thread_local;

/// A function returning the process's one `T`, made on first use (its
/// initialiser need not be `const`): a `OnceLock` static, or under loom a
/// `lazy_static`, made again for each execution of a model.
macro_rules! process_once {
    ($(#[$attr:meta])* $vis:vis fn $name:ident() -> &'static $t:ty { $init:expr }) => {
        $(#[$attr])*
        $vis fn $name() -> &'static $t {
            #[cfg(not(loom))]
            {
                static VALUE: std::sync::OnceLock<$t> = std::sync::OnceLock::new();
                VALUE.get_or_init(|| $init)
            }
            #[cfg(loom)]
            {
                loom::lazy_static! {
                    static ref VALUE: $t = $init;
                }
                &VALUE
            }
        }
    };
}
pub(crate) use process_once;
