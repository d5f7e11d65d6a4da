//! # more-threads
//!
//! Structured concurrency for OS threads: every thread named, stoppable and
//! accounted for. This crate is the runtime; its building blocks are
//!
//! * [`Signal`]: a one-shot, thread-safe flag that wakes its waiters and runs
//!   callbacks when it goes, combinable with `|` and `&`;
//! * [`Till`]: a Signal that goes at a time, so timeouts compose with stop
//!   requests: `please_stop | Till::seconds(1.0)`;
//! * [`Lock`]: a monitor around a value, whose guard can wait to be notified
//!   (with a Till to give up on), and that refuses to deadlock on re-entry.
//!
//! ```
//! use more_threads::prelude::*;
//!
//! let jobs = std::sync::Arc::new(Lock::named("jobs", Vec::<u32>::new()));
//! let please_stop = Signal::named("please_stop");
//! let consumer = {
//!     let (jobs, please_stop) = (jobs.clone(), please_stop.clone());
//!     std::thread::spawn(move || {
//!         let mut done = 0;
//!         let mut queue = jobs.lock();
//!         while !&please_stop {
//!             done += queue.drain(..).count();
//!             queue.wait(&please_stop); // releases the lock while asleep
//!         }
//!         done + queue.drain(..).count()
//!     })
//! };
//! for job in 0..3 {
//!     jobs.lock().push(job); // dropping the guard wakes the consumer
//! }
//! please_stop.go();
//! assert_eq!(consumer.join().unwrap(), 3);
//! ```

pub mod dump;
pub mod lock;
mod panic_text;
pub mod signal;
mod sync;
#[cfg(all(test, not(loom)))]
mod test_log;
pub mod thread;
pub mod till;

pub use dump::dump;
pub use lock::{Lock, LockGuard};

/// The README's examples, compiled and run as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeExamples;
pub use signal::Signal;
pub use thread::{
    BoxError, Builder, JoinTillError, Main, MainOutcome, Outcome, Panic, Prepared, RegisterThread,
    Scope, ScopedThread, ShutdownCause, ShutdownSignals, Thread, ThreadError, ThreadErrorKind,
    ThreadRef, Worker, join_all, registered, run_main, scope, stop_main, wait_for_shutdown_signal,
};
pub use till::Till;

pub use more_threads_macros::{main, scope, test, worker};

/// What the macros expand to, beyond the public API. Not for direct use: no
/// stability promise, and `ScopeGuard` is only sound as `scope!` uses it.
#[doc(hidden)]
pub mod __private {
    pub use crate::thread::{
        ScopeGuard, Settle, SettleAsResult, SettleOrPanic, ThreadName, run_test,
    };
}

/// Everything a program using more-threads usually needs, in one `use`.
///
/// ```
/// use more_threads::prelude::*;
///
/// let please_stop = Signal::new();
/// assert!(!(&please_stop | Till::seconds(60.0)).is_go());
/// let counter = Lock::new(0);
/// *counter.lock() += 1;
/// ```
pub mod prelude {
    pub use crate::{Lock, LockGuard, Signal, Thread, ThreadError, Till, Worker, scope, worker};
}
