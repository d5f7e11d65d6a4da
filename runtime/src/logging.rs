//! Logging that knows the thread tree: a central logger that formats on the
//! caller and writes on its own thread, and a context of key-values that a
//! thread's records carry and the threads it starts inherit.
//!
//! The runtime reports through the `log` facade, each record with the
//! key-values `thread` and `path` of the thread it is about, so any logger
//! receives them. [`Logger`] is the one `#[more_threads::main]` installs
//! (unless the program installed its own, or opts out with `logger = false`):
//! a caller formats its record and hands the line over, and the `logger`
//! thread writes it, so no thread of the tree waits for the disk.
//!
//! ```
//! use more_threads::logging::{self, Config};
//! use more_threads::Thread;
//!
//! let file = std::env::temp_dir().join(format!("more-threads-doc-{}.log", std::process::id()));
//! Config::new().filter("info").to_file(&file).install()?;
//! let _job = logging::context([("job", "42")]); // on this thread's records, and its children's
//! let crawler = Thread::run("crawler", |_| log::info!("fetched {} pages", 3))?;
//! crawler.join()?;
//! logging::flush(); // every record handed over is written
//! let written = std::fs::read_to_string(&file)?;
//! assert!(written.contains("INFO  [main/crawler] fetched 3 pages job=42"));
//! # std::fs::remove_file(&file)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Guarantees
//!
//! * **Off the caller's thread.** A caller filters (by `RUST_LOG`, in
//!   env_logger's syntax) and formats its record, then hands the line to a
//!   bounded channel: it never waits for the disk, only, with
//!   [`WhenFull::Block`] (the default), for room when the writer is that far
//!   behind. With [`WhenFull::Drop`] it never waits: a record that finds the
//!   channel full is dropped and counted, and the count is itself logged.
//! * **Nothing handed over is lost**, but on a forced exit. [`flush`] waits
//!   until every record handed over before it is written. At the end of
//!   main's shutdown (after every thread of the tree was joined) the logger
//!   writes what is left and stops, last; records after that are written on
//!   the caller's thread. A writer that panics loses the record it was
//!   writing, not the ones after it. On a forced exit (a second Ctrl-C) it
//!   writes what it can in a moment and says on stderr how many records it
//!   could not.
//! * **Order.** One thread's records are written in the order it logged them.
//! * **Lines.** `time level [path] message key=value ...`, or one JSON
//!   object a line ([`Format::Json`]); to stderr, a file, or any writer.
//!
//! # What is written: `RUST_LOG`, and the default level
//!
//! The central logger filters by `RUST_LOG`, in env_logger's syntax
//! (`warn`, `my_crate=debug,hyper=off`). **With `RUST_LOG` unset or empty it
//! writes `INFO` and above** (`info`: INFO, WARN, ERROR; not DEBUG or
//! TRACE), where env_logger alone would write only errors. A `RUST_LOG`
//! that does not parse is used for its valid parts, and the logger says so
//! at WARN. A filter given in code ([`Config::filter`]) replaces
//! `RUST_LOG`.
//!
//! # Another logger: [`with_context`]
//!
//! A program that keeps its own logger (env_logger, a tracing subscriber
//! through tracing-log, ...) wraps it in [`with_context`], and its records
//! carry the thread's `thread`, `path` and context too (env_logger writes
//! key-values with its feature `kv`). The filter, and so the default level,
//! is then that logger's own (env_logger's, with `RUST_LOG` unset: errors
//! only).
//!
//! ```
//! use more_threads::{Thread, logging};
//!
//! logging::with_context(env_logger::Builder::from_default_env().build()).install()?;
//! let _job = logging::context([("job", "42")]);
//! Thread::run("crawler", |_| log::error!("gave up"))?.join()?;
//! // stderr: [2026-12-01T18:38:50Z ERROR my_crate] gave up thread=crawler path=main/crawler job=42
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod config;
mod context;
mod format;
mod logger;
#[cfg(all(test, not(loom)))]
mod tests;
mod with_context;

pub use config::{Config, Format, LogError, LogErrorKind, WhenFull};
pub use context::{ContextGuard, context};
pub use logger::Logger;
pub use with_context::{WithContext, with_context};

pub(crate) use format::json_string;

/// Waits until every record handed to the installed central logger before
/// this call is written and the output flushed; `log::logger().flush()`
/// does the same. With another logger installed, flushes that one.
///
/// ```
/// more_threads::logging::flush();
/// ```
pub fn flush() {
    ::log::logger().flush();
}

/// The last step of main's shutdown: writes what is left, until `deadline`
/// at the latest, then stops the logger thread. Returns how many records
/// could not be written by then.
pub(crate) fn shut_down(deadline: std::time::Instant) -> u64 {
    logger::installed().map_or(0, |logger| logger.shut_down(deadline))
}

/// How many lines the installed central logger lost to a failing writer.
pub(crate) fn lost() -> u64 {
    logger::installed().map_or(0, logger::Logger::lost)
}

/// A forced exit is under way: writes what can be written in a moment, and
/// says on stderr how many records could not be.
pub(crate) fn forced_exit() {
    if let Some(logger) = logger::installed() {
        logger.forced_exit();
    }
}
