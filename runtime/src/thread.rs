//! Named threads in a tree: every thread has a name, a `please_stop` signal
//! and a parent that stops and joins it; failures are never lost.
//!
//! `std::thread::spawn` gives a handle that is easy to drop, a panic that is
//! easy to ignore and a thread nobody can ask to stop. Here a thread is
//! started with a name and a worker that takes its `please_stop`; it becomes
//! a child of the thread that started it, and that parent, when its own
//! worker returns, asks its remaining children to stop and waits for them.
//!
//! ```
//! use more_threads::{Thread, Till};
//!
//! let crawler = Thread::run("crawler", |please_stop| {
//!     let parsers = (0..3)
//!         .map(|n| Thread::run(&format!("parser-{n}"), |please_stop| {
//!             please_stop.wait(); // until the crawler ends
//!         }))
//!         .collect::<Result<Vec<_>, _>>()?;
//!     for parser in parsers {
//!         parser.release(); // not joined here: the crawler's end stops and joins them
//!     }
//!     (please_stop | Till::seconds(0.01)).wait();
//!     Ok::<_, more_threads::ThreadError>("crawled")
//! })?;
//! assert_eq!(crawler.join()?, "crawled");
//! # Ok::<(), more_threads::ThreadError>(())
//! ```
//!
//! # Guarantees
//!
//! * A thread's `stopped` Signal goes only after its worker returned (or
//!   panicked) *and* each of its children stopped: joining a thread joins its
//!   whole subtree.
//! * [`Thread::stop`] makes the thread's `please_stop` go, then its
//!   children's, youngest first, down the whole subtree. It never blocks.
//! * A failure (a panic, or an `Err` returned by the worker) is reported
//!   exactly once: to whoever joins the thread; to the log if the handle was
//!   released; folded into the parent's outcome if the handle was dropped
//!   unjoined; to the log if the parent had already ended when the handle is
//!   dropped.
//! * Joining a thread from itself or from one of its descendants returns an
//!   error at once instead of waiting forever.

#[macro_use]
mod accessors;
mod builder;
mod claim;
mod completion;
pub(crate) mod current;
pub mod dump;
pub(crate) mod error;
mod handle;
mod name;
pub(crate) mod node;
pub(crate) mod register;
mod restart;
mod scope;
mod spawn;
mod std_types;
mod worker;

#[cfg(all(test, not(loom)))]
mod tests;

pub use builder::{Builder, Prepared};
pub use completion::{AsCompleted, Joinable, as_completed, join_all};
pub use dump::dump;
pub use error::{DeadlinePassed, Panic, ThreadError, ThreadErrorKind};
pub use handle::{JoinTillError, Thread, ThreadRef};
pub use register::RegisterThread;
pub use restart::{Restart, Restarting};
#[doc(hidden)]
pub use scope::expansion;
pub use scope::named_worker;
pub use scope::policy;
pub use scope::{Race, Scope, ScopeBuilder, ScopedThread, scope};
pub use worker::ThreadName;
pub use worker::{BoxError, Outcome, Worker};
