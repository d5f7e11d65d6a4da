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
//!         while !please_stop.is_go() {
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
pub mod queue;
pub mod signal;
mod sync;
#[cfg(all(test, not(loom)))]
mod test_support;
pub mod thread;
pub mod till;

pub use dump::dump;
pub use lock::{Lock, LockGuard};
pub use queue::{
    AddError, AssignError, BatchQueue, PopError, PriorityQueue, Promise, Queue, Repeat, Task,
    TaskError, TaskErrorKind, ThreadPool,
};

/// The README's examples, compiled and run as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeExamples;
pub use signal::{Signal, Stopped};
pub use thread::{
    AsCompleted, BoxError, Builder, JoinTillError, Joinable, Main, MainOutcome, Outcome, Panic,
    Prepared, RegisterThread, Scope, ScopedThread, ShutdownCause, ShutdownSignals, Thread,
    ThreadError, ThreadErrorKind, ThreadRef, Worker, as_completed, join_all, registered, run_main,
    scope, stop_main, wait_for_shutdown_signal,
};
pub use till::Till;

/// Turns a fn into a worker: the body sees its thread's `please_stop:
/// &Signal` without declaring it, and calling the fn returns the worker, to
/// hand to [`Thread::run`], to `spawn` in [`scope!`], or to run here with
/// [`Worker::run`].
///
/// The arguments are evaluated by the caller and moved into the worker.
/// Generics, `impl Trait` and reference arguments (for scoped spawns), a
/// `Result` return (whose `Err` is the thread's failure) and methods taking
/// `self` all work; a worker made from `&self` borrows, so it suits `scope!`
/// and `.run()` but not `Thread::run`. `async`, `const` and `unsafe` fns,
/// and a parameter named `please_stop`, are compile errors that say what to
/// write instead.
///
/// ```
/// use more_threads::prelude::*;
///
/// #[worker]
/// fn count_words(text: String) -> usize {
///     let mut words = 0;
///     for word in text.split_whitespace() {
///         if please_stop.is_go() {
///             break;
///         }
///         words += word.len().min(1);
///     }
///     words
/// }
///
/// let counter = Thread::run("counter", count_words("three little words".into())).unwrap();
/// assert_eq!(counter.join().unwrap(), 3);
/// assert_eq!(count_words("two words".into()).run(&Signal::new()), 2);
/// ```
pub use more_threads_macros::worker;

/// A block whose `spawn NAME => WORKER` statements start children of the
/// current thread that may borrow from the enclosing function; every child
/// still running at the end of the block is asked to stop (youngest first)
/// and joined.
///
/// * `spawn NAME => WORKER;` starts a child and leaves it to the scope;
///   `let h = spawn NAME => WORKER;` keeps a handle to `join()` inside the
///   block; `release spawn NAME => WORKER;` releases it (a failure is logged).
///   Spawns may sit anywhere in the block: in loops, branches, closures.
/// * NAME is a string (`"walker"`, `format!("counter-{i}")`); a spawn without
///   one is a compile error. WORKER is a closure that names its stop signal,
///   `|please_stop| ...`, or a call of a [`#[worker]`](macro@worker) fn.
/// * `?`, `return` and `break` in the block act on the enclosing function, as
///   in any block; the children are still stopped and joined on the way out.
/// * A child that failed and was neither joined nor released makes the scope
///   fail: when the block's value is a `Result<_, E>` with
///   `E: From<ThreadError>`, the scope evaluates to `Err`; any other block
///   panics with the error. On an early way out (`?`, `return`, a panic) such
///   failures are logged, since they cannot change the way out.
/// * The block cannot `.await` (a future forgotten there would leave threads
///   borrowing freed data), and the crate using it must allow `unsafe_code`;
///   [`scope()`](fn@scope) is the closure-based form with neither limit.
///
/// ```
/// use more_threads::prelude::*;
///
/// fn total_length(lines: &[String]) -> Result<usize, ThreadError> {
///     let (first, second) = lines.split_at(lines.len() / 2);
///     scope! {
///         let left = spawn "left" => |_please_stop| first.iter().map(String::len).sum::<usize>();
///         let right = spawn "right" => |_please_stop| second.iter().map(String::len).sum::<usize>();
///         Ok(left.join()? + right.join()?)
///     }
/// }
///
/// let lines = vec!["ab".to_owned(), "cde".to_owned(), "f".to_owned()];
/// assert_eq!(total_length(&lines).unwrap(), 6);
/// ```
pub use more_threads_macros::scope;

/// Runs `fn main` as the root of the thread tree, through [`Main`]: its body
/// sees `please_stop: &Signal` (which SIGINT and SIGTERM make go), and when it
/// returns the orderly shutdown runs; the exit code is non-zero on an `Err`,
/// a panic, or a child's failure nobody joined.
///
/// Options: `shutdown_deadline = SECONDS`, `handle_signals = BOOL`,
/// `stderr_logger = BOOL` (a plain stderr logger unless the program installs
/// one), `dump_on_sigquit = BOOL`, `crate = "path"`.
///
/// ```no_run
/// use more_threads::prelude::*;
///
/// #[more_threads::main(shutdown_deadline = 10)]
/// fn main() -> Result<(), ThreadError> {
///     let server = Thread::run("server", |please_stop| please_stop.wait())?;
///     please_stop.wait(); // until Ctrl-C
///     server.join()
/// }
/// ```
pub use more_threads_macros::main;

/// A `#[test]` that runs as a registered thread of the tree (`test-NAME`),
/// with `please_stop` in scope; when it returns, its children are stopped
/// and joined, and a failure of one nobody joined fails the test.
///
/// ```
/// use more_threads::prelude::*;
///
/// #[more_threads::test]
/// fn children_are_joined() {
///     Thread::run("helper", |please_stop| please_stop.wait()).unwrap().release();
/// }
/// # fn main() {}
/// ```
pub use more_threads_macros::test;

/// What the macros expand to, beyond the public API. Not for direct use: no
/// stability promise.
#[doc(hidden)]
pub mod __private {
    pub use crate::thread::expansion::{
        Branch, Exit, FromResidual, Probe, ProbeOther, ProbeResult, SettleBoxed, SettleConverted,
        SettleOther, run_scope,
    };
    pub use crate::thread::{ThreadName, run_test};
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
    pub use crate::{
        AddError, BatchQueue, PopError, PriorityQueue, Promise, Queue, Repeat, ThreadPool,
    };
    pub use crate::{Lock, LockGuard, Signal, Thread, ThreadError, Till, Worker, scope, worker};
}
