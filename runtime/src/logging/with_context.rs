//! [`with_context`]: the thread's name, path and context on the records of
//! any `log::Log` (env_logger, tracing-log's bridge, a program's own), not
//! only on the central logger's.

use super::config::LogError;
use super::context::KeyValues;
use crate::local;
use std::fmt;

/// Wraps `inner`, any `log::Log` (`env_logger::Logger`, a `Box<dyn Log>`,
/// ...), so that every record it receives carries what the central logger
/// would write beside it: the `thread` and `path` of the thread of the tree
/// that logged it, and the thread's [`context`](super::context).
///
/// ```
/// use more_threads::{Thread, logging};
///
/// let file = std::env::temp_dir().join(format!("with-context-doc-{}.log", std::process::id()));
/// let env_logger = env_logger::Builder::new()
///     .parse_filters("info") // the program's own filter: see `WithContext` for RUST_LOG
///     .target(env_logger::Target::Pipe(Box::new(std::fs::File::create(&file)?)))
///     .build();
/// logging::with_context(env_logger).install()?;
///
/// let _job = logging::context([("job", "42")]);
/// Thread::run("crawler", |_| log::info!("fetched"))?.join()?;
/// let line = std::fs::read_to_string(&file)?;
/// assert!(line.contains("fetched thread=crawler path=main/crawler job=42"), "{line}");
/// # std::fs::remove_file(&file)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn with_context<L: log::Log>(inner: L) -> WithContext<L> {
    WithContext {
        inner,
        max_level: log::LevelFilter::Trace,
    }
}

/// A `log::Log` that hands every record to the logger it wraps with the
/// logging thread's key-values added; made by [`with_context`].
///
/// What a record gets, after its own key-values:
///
/// * `thread` and `path` (`crawler`, `main/crawler`) when a thread of the
///   tree logged it and the record has neither: a record of the runtime
///   about another thread (a released thread's failure, logged by whoever
///   found it) keeps the ones it names;
/// * the thread's [`context`](super::context), inherited and its own.
///
/// **A record's own key wins**: a key the record already has is not added
/// again, from the thread's name and path or from the context; and within
/// the context, the innermost guard's value wins (as on the central
/// logger's lines). A record from a thread outside the tree that holds no
/// context is handed on as it is, and costs a look at two thread-locals.
///
/// **Filtering is the inner logger's.** `enabled` and `flush` are its own;
/// a record it would not log is dropped before anything is added.
/// [`install`](WithContext::install) sets `log`'s maximum level to the one
/// given to [`max_level`](WithContext::max_level), or to `Trace` (no
/// `Log` says its own): every record then reaches the inner logger's
/// filter, at the cost of one call for each that it rejects. With
/// `RUST_LOG` unset, what is written is the inner logger's default
/// (env_logger's: `error` only; the central logger's: `info`).
///
/// ```
/// use log::Log;
///
/// let inner: Box<dyn Log> = Box::new(env_logger::Builder::new().parse_filters("warn").build());
/// let logger = more_threads::logging::with_context(inner);
/// assert!(!logger.enabled(&log::Metadata::builder().level(log::Level::Info).build()));
/// assert!(format!("{logger:?}").starts_with("WithContext"));
/// ```
#[must_use = "a WithContext does nothing until it is installed, or used as a Log"]
pub struct WithContext<L> {
    inner: L,
    max_level: log::LevelFilter,
}

impl<L: log::Log> WithContext<L> {
    /// The maximum level [`install`](WithContext::install) gives `log`
    /// (default `Trace`): records above it are dropped by the `log!` macros
    /// before any logger is called. Give the inner logger's own when it says
    /// it (env_logger's [`Logger::filter`](https://docs.rs/env_logger/0.11/env_logger/struct.Logger.html#method.filter)),
    /// so a rejected record costs only a comparison.
    ///
    /// ```
    /// let env_logger = env_logger::Builder::new().parse_filters("info,my_crate=debug").build();
    /// let level = env_logger.filter(); // Debug: the most any directive lets through
    /// let logger = more_threads::logging::with_context(env_logger).max_level(level);
    /// ```
    pub fn max_level(mut self, level: log::LevelFilter) -> WithContext<L> {
        self.max_level = level;
        self
    }

    /// Installs this as the process's `log` logger, and sets `log`'s
    /// maximum level ([`max_level`](WithContext::max_level)).
    ///
    /// # Errors
    ///
    /// [`LogErrorKind::AlreadyInstalled`](super::LogErrorKind::AlreadyInstalled)
    /// when the process already has a logger. Under
    /// `#[more_threads::main]`, say `logger = false` and install it first
    /// thing in `main`, or install it before calling [`Main::run`](crate::Main::run).
    ///
    /// ```
    /// use more_threads::logging::{self, LogErrorKind};
    ///
    /// let env_logger = env_logger::Builder::new().parse_filters("info").build();
    /// logging::with_context(env_logger).max_level(log::LevelFilter::Info).install()?;
    /// assert_eq!(log::max_level(), log::LevelFilter::Info);
    /// let again = logging::with_context(env_logger::Logger::from_default_env()).install();
    /// assert_eq!(again.unwrap_err().kind(), LogErrorKind::AlreadyInstalled);
    /// # Ok::<(), logging::LogError>(())
    /// ```
    pub fn install(self) -> Result<(), LogError>
    where
        L: 'static,
    {
        let level = self.max_level;
        log::set_boxed_logger(Box::new(self)).map_err(LogError::already_installed)?;
        log::set_max_level(level);
        Ok(())
    }
}

impl<L: log::Log> log::Log for WithContext<L> {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        self.inner.enabled(metadata)
    }

    fn log(&self, record: &log::Record<'_>) {
        let context = local::context();
        if context.is_none() && !local::with_current(|local| local.is_some()) {
            self.inner.log(record);
            return;
        }
        // Nothing is gathered for a record the inner logger would drop.
        if !self.inner.enabled(record.metadata()) {
            return;
        }
        // Shared (a reference count), not borrowed from the thread-local,
        // so that nothing of ours is borrowed while the inner logger runs:
        // it may log, or enter the tree, itself.
        let current = local::current();
        let pairs = KeyValues::new(
            record.key_values(),
            current.as_deref().map(|local| (&*local.name, &*local.path)),
            context.as_deref().unwrap_or_default(),
        );
        self.inner
            .log(&record.to_builder().key_values(&pairs).build());
    }

    fn flush(&self) {
        self.inner.flush();
    }
}

impl<L> fmt::Debug for WithContext<L> {
    /// `WithContext { inner: "env_logger::logger::Logger", max_level: Trace }`:
    /// the inner logger by its type, as a `Box<dyn Log>` has no `Debug`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WithContext")
            .field("inner", &std::any::type_name::<L>())
            .field("max_level", &self.max_level)
            .finish()
    }
}
