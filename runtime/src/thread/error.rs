//! [`ThreadError`]: a thread's failure, with the thread's name and path.

use super::worker::BoxError;
use crate::signal::Stopped;
use crate::sync::Arc;
use std::backtrace::{Backtrace, BacktraceStatus};
use std::borrow::Cow;
use std::error::Error;
use std::fmt;
use std::panic::Location;

/// Why a thread failed, or why joining it failed; names the thread and its
/// path, and lists the failures of its children that were folded in.
///
/// `Display` says what failed (`thread main/crawler/parser-3 failed`);
/// [`source`](Error::source) says why: the worker's own error, or a
/// [`Panic`] for a panic. `{:#}` prints both, each once
/// (`thread main/crawler/parser-3 failed: bad page`), exactly as anyhow's
/// `{:#}` prints it. When several failures were gathered (children that
/// failed beside the thread's own failure, or failures
/// [`later`](ThreadError::later) in a scope), the source lists them all,
/// each with its causes, once. It is `Send + Sync + 'static`, so `?` turns
/// it into a `Box<dyn Error>` or an `anyhow::Error`.
///
/// ```
/// use more_threads::{Thread, thread::ThreadErrorKind};
///
/// let parser = Thread::run("parser", |_| -> Result<(), std::io::Error> {
///     Err(std::io::Error::other("bad input"))
/// })
/// .unwrap();
/// let error = parser.join().unwrap_err();
/// assert_eq!(error.kind(), ThreadErrorKind::Failed);
/// assert!(error.path().ends_with("/parser"));
/// assert!(error.to_string().ends_with("/parser failed")); // what failed
/// assert_eq!(std::error::Error::source(&error).unwrap().to_string(), "bad input"); // why
/// assert!(format!("{error:#}").ends_with("/parser failed: bad input")); // both, once
/// ```
pub struct ThreadError {
    /// Boxed: a `Result<T, ThreadError>` stays as small as a `Result<T, Box<_>>`.
    details: Box<Details>,
}

struct Details {
    name: Arc<str>,
    path: Arc<str>,
    cause: Cause,
    children: Vec<ThreadError>,
    later: Vec<ThreadError>,
}

/// The kinds of [`ThreadError`].
///
/// ```
/// use more_threads::{Thread, thread::ThreadErrorKind};
///
/// let error = Thread::run("", |_| ()).unwrap_err();
/// assert_eq!(error.kind(), ThreadErrorKind::InvalidName);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ThreadErrorKind {
    /// The worker panicked; the source is a [`Panic`].
    Panicked,
    /// The worker returned an `Err`; the source is that error.
    Failed,
    /// The worker (or a scope) succeeded, but children it neither joined nor
    /// released failed.
    ChildrenFailed,
    /// A thread tried to join itself, or wait for one of its ancestors: that
    /// would never return.
    WouldDeadlock,
    /// The OS refused to start the thread; the source is the `io::Error`.
    SpawnFailed,
    /// The name is empty, longer than 255 bytes, or holds a `/`, a control
    /// character, a Unicode format character (such as a right-to-left
    /// override) or a line or paragraph separator.
    InvalidName,
    /// The parent given to [`Builder::parent`](crate::thread::Builder::parent) has
    /// ended: nobody would stop, wait for or report the thread.
    ParentEnded,
    /// The worker returned because it was asked to stop, saying so with
    /// [`Stopped`](crate::signal::Stopped) (e.g. `please_stop.check()?`): not a
    /// failure. Logged at DEBUG, never at ERROR, and on its own it fails no
    /// scope, parent or `Main`; `join` still returns it, as there is no value.
    Stopped,
    /// A scope's deadline passed before it ended (see
    /// [`ScopeBuilder::deadline`](crate::thread::ScopeBuilder::deadline)); the
    /// source is a [`DeadlinePassed`] saying what each child still running
    /// was doing.
    DeadlinePassed,
    /// A first-success or quorum scope ended with fewer successes than it
    /// needed, and no failure to blame (its children stopped quietly, or it
    /// started too few).
    NotEnoughSuccesses,
}

pub(crate) enum Cause {
    Panicked(Panic),
    Failed(BoxError),
    ChildrenFailed,
    /// A scope's own block or closure returned this `Err`.
    ScopeBody(BoxError),
    /// Why: the cycle of waits, or the join of itself or an ancestor.
    WouldDeadlock(Cow<'static, str>),
    SpawnFailed(std::io::Error),
    /// Why, and where the spawn was written.
    InvalidName(Cow<'static, str>, Option<&'static Location<'static>>),
    /// The parent's path.
    ParentEnded(Arc<str>),
    /// A quiet stop; the [`Stopped`] is its source.
    Stopped(Stopped),
    /// A scope's deadline passed; what was still running is the source.
    DeadlinePassed(DeadlinePassed),
    /// A race ended with `succeeded` successes of the `needed`.
    NotEnoughSuccesses {
        needed: usize,
        succeeded: usize,
    },
}

/// What a scope's children were doing when its deadline passed: the source
/// of a [`ThreadError`] of kind
/// [`DeadlinePassed`](ThreadErrorKind::DeadlinePassed).
///
/// ```
/// use more_threads::thread::{DeadlinePassed, ScopeBuilder, ThreadErrorKind};
/// use std::time::Duration;
///
/// let error = ScopeBuilder::new()
///     .deadline(Duration::from_millis(1))
///     .run(|scope| {
///         scope.spawn("slow", |please_stop| please_stop.wait());
///     })
///     .unwrap_err();
/// assert_eq!(error.kind(), ThreadErrorKind::DeadlinePassed);
/// let passed: &DeadlinePassed = std::error::Error::source(&error)
///     .and_then(|source| source.downcast_ref())
///     .unwrap();
/// let (path, doing) = passed.still_running().next().unwrap();
/// assert_eq!(path, "main/slow");
/// // Blocked on its please_stop, or still starting on a loaded machine.
/// assert!(doing.starts_with("blocked on Signal") || doing == "running", "{doing}");
/// assert!(passed.to_string().contains(&format!("main/slow was {doing}")), "{passed}");
/// ```
#[derive(Debug, Clone)]
pub struct DeadlinePassed {
    /// What the deadline was (`2.000s`, `till in 1.5s`).
    pub(crate) deadline: Arc<str>,
    /// Each child still running then: its path, and what it was doing.
    pub(crate) still_running: Vec<(Arc<str>, String)>,
}

impl DeadlinePassed {
    /// Each child still running when the deadline passed, oldest first: its
    /// path, and what it was doing (as the [dump](crate::dump) says it:
    /// `running`, `blocked on Queue "jobs"`).
    pub fn still_running(&self) -> impl Iterator<Item = (&str, &str)> {
        self.still_running
            .iter()
            .map(|(path, doing)| (&**path, doing.as_str()))
    }
}

impl fmt::Display for DeadlinePassed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.still_running.is_empty() {
            return write!(f, "no child was running when {} passed", self.deadline);
        }
        write!(f, "when {} passed, ", self.deadline)?;
        for (index, (path, doing)) in self.still_running.iter().enumerate() {
            if index > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{path} was {doing}")?;
        }
        Ok(())
    }
}

impl Error for DeadlinePassed {}

/// A worker's panic, as the [`source`](Error::source) of a [`ThreadError`]:
/// the panic message, and a backtrace when `RUST_BACKTRACE` asked for one.
///
/// ```
/// use more_threads::{thread::Panic, Thread};
///
/// let error = Thread::run("doomed", |_| -> () { panic!("out of cheese") })
///     .unwrap()
///     .join()
///     .unwrap_err();
/// let panic = std::error::Error::source(&error)
///     .and_then(|source| source.downcast_ref::<Panic>())
///     .unwrap();
/// assert_eq!(panic.message(), "out of cheese");
/// ```
pub struct Panic {
    message: String,
    backtrace: Option<Backtrace>,
}

impl From<crate::panic::Caught> for Panic {
    fn from(caught: crate::panic::Caught) -> Panic {
        Panic::new(caught.message, caught.backtrace)
    }
}

impl Panic {
    pub(crate) fn new(message: String, backtrace: Option<Backtrace>) -> Panic {
        let backtrace = backtrace.filter(|trace| trace.status() == BacktraceStatus::Captured);
        Panic { message, backtrace }
    }

    /// What was given to `panic!`.
    ///
    /// ```
    /// # use more_threads::{thread::Panic, Thread};
    /// # let error = Thread::run("t", |_| -> () { panic!("why") }).unwrap().join().unwrap_err();
    /// assert_eq!(error.panic().unwrap().message(), "why");
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Where it panicked, if `RUST_BACKTRACE` (or `RUST_LIB_BACKTRACE`) asked
    /// for backtraces.
    ///
    /// ```
    /// # use more_threads::Thread;
    /// # let error = Thread::run("t", |_| -> () { panic!("why") }).unwrap().join().unwrap_err();
    /// if let Some(trace) = error.panic().unwrap().backtrace() {
    ///     println!("{trace}");
    /// }
    /// ```
    pub fn backtrace(&self) -> Option<&Backtrace> {
        self.backtrace.as_ref()
    }
}

impl fmt::Display for Panic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Debug for Panic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Panic")
            .field("message", &self.message)
            .field("backtrace", &self.backtrace.is_some())
            .finish()
    }
}

impl Error for Panic {}

impl ThreadError {
    pub(crate) fn new(name: Arc<str>, path: Arc<str>, cause: Cause) -> ThreadError {
        ThreadError {
            details: Box::new(Details {
                name,
                path,
                cause,
                children: Vec::new(),
                later: Vec::new(),
            }),
        }
    }

    pub(crate) fn with_children(mut self, children: Vec<ThreadError>) -> ThreadError {
        self.details.children.extend(children);
        self
    }

    pub(crate) fn with_later(mut self, later: Vec<ThreadError>) -> ThreadError {
        self.details.later.extend(later);
        self
    }

    /// The error the worker failed with, for a thread that returned an
    /// `Err`; otherwise the `ThreadError` itself.
    pub(crate) fn into_failure(self) -> Result<BoxError, ThreadError> {
        if !self.details.children.is_empty() {
            return Err(self);
        }
        let details = *self.details;
        match details.cause {
            Cause::Failed(failure) => Ok(failure),
            cause => Err(ThreadError {
                details: Box::new(Details { cause, ..details }),
            }),
        }
    }

    /// Whether this is a quiet stop rather than a failure.
    pub(crate) fn is_stopped(&self) -> bool {
        matches!(self.details.cause, Cause::Stopped(_))
    }

    /// The name the thread was given.
    ///
    /// ```
    /// # use more_threads::Thread;
    /// let error = Thread::run("loader", |_| Err::<(), _>("no file")).unwrap().join().unwrap_err();
    /// assert_eq!(error.name(), "loader");
    /// ```
    pub fn name(&self) -> &str {
        &self.details.name
    }

    /// The thread's path in the tree, e.g. `main/crawler/parser-3`.
    ///
    /// ```
    /// # use more_threads::Thread;
    /// let error = Thread::run("loader", |_| Err::<(), _>("no file")).unwrap().join().unwrap_err();
    /// assert!(error.path().ends_with("/loader"));
    /// ```
    pub fn path(&self) -> &str {
        &self.details.path
    }

    /// What kind of failure this is.
    ///
    /// ```
    /// # use more_threads::{Thread, thread::ThreadErrorKind};
    /// let error = Thread::run("t", |_| -> () { panic!("no") }).unwrap().join().unwrap_err();
    /// assert_eq!(error.kind(), ThreadErrorKind::Panicked);
    /// ```
    pub fn kind(&self) -> ThreadErrorKind {
        match self.details.cause {
            Cause::Panicked(_) => ThreadErrorKind::Panicked,
            Cause::Failed(_) | Cause::ScopeBody(_) => ThreadErrorKind::Failed,
            Cause::ChildrenFailed => ThreadErrorKind::ChildrenFailed,
            Cause::WouldDeadlock(_) => ThreadErrorKind::WouldDeadlock,
            Cause::SpawnFailed(_) => ThreadErrorKind::SpawnFailed,
            Cause::ParentEnded(_) => ThreadErrorKind::ParentEnded,
            Cause::DeadlinePassed(_) => ThreadErrorKind::DeadlinePassed,
            Cause::NotEnoughSuccesses { .. } => ThreadErrorKind::NotEnoughSuccesses,
            Cause::InvalidName(..) => ThreadErrorKind::InvalidName,
            Cause::Stopped(_) => ThreadErrorKind::Stopped,
        }
    }

    /// The panic, if the worker panicked.
    ///
    /// ```
    /// # use more_threads::Thread;
    /// let error = Thread::run("t", |_| -> () { panic!("no") }).unwrap().join().unwrap_err();
    /// assert_eq!(error.panic().map(|panic| panic.message()), Some("no"));
    /// ```
    pub fn panic(&self) -> Option<&Panic> {
        match &self.details.cause {
            Cause::Panicked(panic) => Some(panic),
            _ => None,
        }
    }

    /// The error the worker (or a scope's block) returned, if it returned
    /// an `Err`: to downcast, whatever else was gathered beside it (when
    /// there was more, [`source`](Error::source) is the list of it all).
    ///
    /// ```
    /// use more_threads::scope;
    ///
    /// let error = scope(|scope| {
    ///     scope.spawn("consumer", |please_stop| {
    ///         please_stop.wait();
    ///         Err::<(), _>("stopped too early") // fails as it stops: a later failure
    ///     });
    ///     Err::<(), _>(std::io::Error::other("disk full")) // the scope's own
    /// })
    /// .unwrap_err();
    /// let own = error.failure().and_then(|own| own.downcast_ref::<std::io::Error>());
    /// assert_eq!(own.unwrap().to_string(), "disk full");
    /// assert_eq!(error.later().len(), 1);
    /// ```
    pub fn failure(&self) -> Option<&(dyn Error + Send + Sync + 'static)> {
        match &self.details.cause {
            Cause::Failed(error) | Cause::ScopeBody(error) => Some(&**error),
            _ => None,
        }
    }

    /// The failures of children this thread neither joined nor released,
    /// folded into its own outcome when it ended.
    ///
    /// ```
    /// use more_threads::{Thread, thread::ThreadErrorKind};
    ///
    /// let parent = Thread::run("parent", |_| {
    ///     let child = Thread::run("child", |_| Err::<(), _>("lost"))?;
    ///     drop(child); // neither joined nor released: its failure is ours
    ///     Ok::<_, more_threads::ThreadError>(())
    /// })
    /// .unwrap();
    /// let error = parent.join().unwrap_err();
    /// assert_eq!(error.kind(), ThreadErrorKind::ChildrenFailed);
    /// assert_eq!(error.children()[0].name(), "child");
    /// ```
    pub fn children(&self) -> &[ThreadError] {
        &self.details.children
    }

    /// The failures that came after this one in the same scope, in the order
    /// they happened. A scope's error is its first failure (the cause, since
    /// the scope stops every other child at once); what failed while the
    /// scope was stopping is kept here rather than lost.
    ///
    /// ```
    /// use more_threads::{ThreadError, Till, scope};
    ///
    /// let error = scope(|scope| {
    ///     scope.spawn("first", |_| Err::<(), _>("broke"));
    ///     scope.spawn("second", |please_stop| {
    ///         please_stop.wait(); // stopped by the first failure...
    ///         Err::<(), _>("broke too") // ...and fails as it stops
    ///     });
    /// })
    /// .unwrap_err();
    /// assert!(error.path().ends_with("/first"));
    /// assert!(error.later()[0].path().ends_with("/second"));
    /// ```
    pub fn later(&self) -> &[ThreadError] {
        &self.details.later
    }
}

/// `{}` says what failed; `{:#}` adds why, the `source()` chain, as anyhow's
/// `{:#}` does (so each cause is printed once, whichever way the error is
/// shown).
impl fmt::Display for ThreadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = &self.details.path;
        match &self.details.cause {
            Cause::Panicked(_) => write!(f, "thread {path} panicked")?,
            Cause::Failed(_) | Cause::ChildrenFailed => write!(f, "thread {path} failed")?,
            Cause::ScopeBody(_) => write!(f, "the scope in thread {path} failed")?,
            Cause::WouldDeadlock(what) => write!(f, "thread {path}: {what}")?,
            Cause::SpawnFailed(_) => write!(f, "thread {path} could not start")?,
            Cause::ParentEnded(parent) => write!(
                f,
                "thread {path} could not start: its parent {parent} has ended"
            )?,
            Cause::InvalidName(why, location) => {
                write!(f, "thread {path:?} could not start: {why}")?;
                if let Some(location) = location {
                    write!(f, " (spawned at {location})")?;
                }
            }
            Cause::Stopped(_) => write!(f, "thread {path} stopped before it finished")?,
            Cause::DeadlinePassed(_) => {
                write!(f, "the scope in thread {path} passed its deadline")?;
            }
            Cause::NotEnoughSuccesses {
                needed: 1,
                succeeded: 0,
            } => write!(
                f,
                "no child of the first-success scope in thread {path} succeeded"
            )?,
            Cause::NotEnoughSuccesses { needed, succeeded } => write!(
                f,
                "the quorum scope in thread {path} needed {needed} successes and had {succeeded}"
            )?,
        }
        if f.alternate() {
            crate::error_chain::write_sources(f, self)?;
        }
        Ok(())
    }
}

impl Details {
    /// Why the thread itself failed, when it was not (only) its children.
    fn own_cause(&self) -> Option<&(dyn Error + 'static)> {
        match &self.cause {
            Cause::Panicked(panic) => Some(panic),
            Cause::Failed(error) | Cause::ScopeBody(error) => Some(&**error),
            Cause::SpawnFailed(error) => Some(error),
            Cause::Stopped(stopped) => Some(stopped),
            Cause::DeadlinePassed(passed) => Some(passed),
            Cause::ChildrenFailed
            | Cause::NotEnoughSuccesses { .. }
            | Cause::WouldDeadlock(_)
            | Cause::InvalidName(..)
            | Cause::ParentEnded(_) => None,
        }
    }

    /// Whether more than one failure was gathered: then the source is the
    /// list of them all ([`Details`] as an error), since a `source()` chain
    /// has room for one.
    fn gathered_several(&self) -> bool {
        let own = !matches!(self.cause, Cause::ChildrenFailed);
        let children = self.children.len();
        !self.later.is_empty() || children > 1 || (own && children > 0)
    }
}

/// The source of a [`ThreadError`] that gathered several failures: each of
/// them with its causes, in order (`bad data; and 1 child thread failed:
/// [...]; then 1 more failure: [...]`). It has no source of its own: every
/// cause is in its message, so a chain printer shows each once.
impl fmt::Display for Details {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut written = false;
        if let Some(cause) = self.own_cause() {
            write!(f, "{cause}")?;
            crate::error_chain::write_sources(f, cause)?;
            written = true;
        }
        if !self.children.is_empty() {
            if written {
                f.write_str("; and ")?;
            }
            write!(f, "{}", ChildList(&self.children))?;
            written = true;
        }
        if !self.later.is_empty() {
            if written {
                f.write_str("; then ")?;
            }
            match self.later.len() {
                1 => f.write_str("1 more failure: ")?,
                count => write!(f, "{count} more failures: ")?,
            }
            write_list(f, &self.later)?;
        }
        Ok(())
    }
}

impl fmt::Debug for Details {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

impl Error for Details {}

/// `2 child threads failed: [main/a failed: why], [main/b ...]`, each child
/// with its causes.
struct ChildList<'a>(&'a [ThreadError]);

impl fmt::Display for ChildList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.len() {
            1 => f.write_str("1 child thread failed: ")?,
            count => write!(f, "{count} child threads failed: ")?,
        }
        write_list(f, self.0)
    }
}

/// `[first, with its causes], [second, ...]`.
fn write_list(f: &mut fmt::Formatter<'_>, failures: &[ThreadError]) -> fmt::Result {
    for (index, failure) in failures.iter().enumerate() {
        if index > 0 {
            f.write_str(", ")?;
        }
        write!(f, "[{failure:#}]")?;
    }
    Ok(())
}

impl fmt::Debug for ThreadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("ThreadError");
        debug
            .field("path", &self.details.path)
            .field("kind", &self.kind());
        match &self.details.cause {
            Cause::Panicked(panic) => debug.field("panic", &panic.message),
            Cause::Failed(error) | Cause::ScopeBody(error) => debug.field("error", error),
            Cause::SpawnFailed(error) => debug.field("error", error),
            Cause::WouldDeadlock(why) => debug.field("why", why),
            Cause::InvalidName(why, _) => debug.field("why", why),
            Cause::ParentEnded(parent) => debug.field("parent", parent),
            Cause::DeadlinePassed(passed) => debug.field("deadline", passed),
            Cause::NotEnoughSuccesses { needed, succeeded } => {
                debug.field("needed", needed).field("succeeded", succeeded)
            }
            Cause::Stopped(stopped) => debug.field("stopped", stopped),
            Cause::ChildrenFailed => &mut debug,
        };
        if !self.details.children.is_empty() {
            debug.field("children", &self.details.children);
        }
        if !self.details.later.is_empty() {
            debug.field("later", &self.details.later);
        }
        debug.finish()
    }
}

impl Error for ThreadError {
    /// Why: the worker's error, its [`Panic`], the one child that failed;
    /// or, when several failures were gathered (children beside the
    /// thread's own failure, or failures [`later`](ThreadError::later) in a
    /// scope), one error listing them all, each with its causes. Each of
    /// them is also reachable on its own, through
    /// [`children`](ThreadError::children) and [`later`](ThreadError::later).
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        let details = &*self.details;
        if details.gathered_several() {
            return Some(details);
        }
        match details.cause {
            Cause::ChildrenFailed => details.children.first().map(|child| child as &dyn Error),
            _ => details.own_cause(),
        }
    }
}
