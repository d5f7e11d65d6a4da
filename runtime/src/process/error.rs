//! [`ProcessError`]: how a child process failed, with its last words.

use crate::thread::ThreadError;
use std::error::Error;
use std::fmt;
use std::process::ExitStatus;
use std::sync::Arc;
use std::time::Duration;

/// What kind of failure a [`ProcessError`] is.
///
/// ```
/// use more_threads::{Process, process::ProcessErrorKind};
/// let error = Process::run("false", std::process::Command::new("false"))?.join().unwrap_err();
/// assert_eq!(error.kind(), ProcessErrorKind::Exited);
/// # Ok::<(), more_threads::process::ProcessError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProcessErrorKind {
    /// The program could not be started (not found, not executable); the
    /// source is the `io::Error`.
    NotStarted,
    /// It exited with a code other than 0.
    Exited,
    /// A signal it did not get from us ended it.
    Signalled,
    /// Asked to stop, it did not end within the grace period after SIGTERM
    /// and was killed with SIGKILL.
    Killed,
    /// It wrote nothing, on stdout or stderr, for longer than its silence
    /// (or start-up) timeout, and was ended.
    Silent,
    /// It was asked to stop before it could start again (during a restart's
    /// backoff): a quiet stop, not a failure.
    Stopped,
    /// The thread that watches it could not start or failed; the source is
    /// the [`ThreadError`].
    Thread,
}

/// A child process that failed: its name, its path in the tree, how it
/// ended, and the last lines of its stderr.
///
/// `{}` says what failed; `{:#}` adds the `source()` chain: why, which for
/// a process that failed on its own is the tail of its stderr, a line each.
///
/// ```
/// use more_threads::{Process, process::ProcessErrorKind};
/// use std::process::Command;
///
/// let mut command = Command::new("sh");
/// command.args(["-c", "echo 'disk full' >&2; exit 3"]);
/// let error = Process::run("backup", command)?.join().unwrap_err();
/// assert_eq!(error.kind(), ProcessErrorKind::Exited);
/// assert_eq!(error.code(), Some(3));
/// assert_eq!(error.stderr_tail(), ["disk full"]);
/// assert!(error.to_string().ends_with("/backup exited with code 3"));
/// # Ok::<(), more_threads::process::ProcessError>(())
/// ```
pub struct ProcessError {
    details: Box<Details>,
}

struct Details {
    name: Arc<str>,
    path: Arc<str>,
    command: Arc<str>,
    kind: ProcessErrorKind,
    status: Option<ExitStatus>,
    silent_for: Option<Duration>,
    /// The last lines of stderr, as the source when there is no other.
    stderr_tail: StderrTail,
    source: Option<Box<dyn Error + Send + Sync>>,
}

/// The last lines of a failed process's stderr, as the `source()` of its
/// [`ProcessError`]: why it failed, in its own words.
#[derive(Debug, Default)]
struct StderrTail(Vec<String>);

impl fmt::Display for StderrTail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "its stderr ended with:")?;
        for line in &self.0 {
            write!(f, "\n    {line}")?;
        }
        Ok(())
    }
}

impl Error for StderrTail {}

impl ProcessError {
    pub(super) fn new(
        name: Arc<str>,
        path: Arc<str>,
        command: Arc<str>,
        kind: ProcessErrorKind,
    ) -> ProcessError {
        ProcessError {
            details: Box::new(Details {
                name,
                path,
                command,
                kind,
                status: None,
                silent_for: None,
                stderr_tail: StderrTail::default(),
                source: None,
            }),
        }
    }

    pub(super) fn with_status(mut self, status: ExitStatus) -> ProcessError {
        self.details.status = Some(status);
        self
    }

    pub(super) fn with_silence(mut self, silent_for: Duration) -> ProcessError {
        self.details.silent_for = Some(silent_for);
        self
    }

    pub(super) fn with_stderr_tail(mut self, tail: Vec<String>) -> ProcessError {
        self.details.stderr_tail = StderrTail(tail);
        self
    }

    pub(super) fn with_source(
        mut self,
        source: impl Into<Box<dyn Error + Send + Sync>>,
    ) -> ProcessError {
        self.details.source = Some(source.into());
        self
    }

    /// The failure of the thread that watched the process, as a
    /// `ProcessError`: the one it carries, or the `ThreadError` itself.
    pub(super) fn from_thread(error: ThreadError, command: Arc<str>) -> ProcessError {
        let kind = if error.kind() == crate::thread::ThreadErrorKind::Stopped {
            ProcessErrorKind::Stopped
        } else {
            ProcessErrorKind::Thread
        };
        let (name, path): (Arc<str>, Arc<str>) = (error.name().into(), error.path().into());
        match error.into_failure() {
            Ok(failure) => match failure.downcast::<ProcessError>() {
                Ok(process_error) => *process_error,
                Err(other) => ProcessError::new(name, path, command, kind).with_source(other),
            },
            Err(error) => ProcessError::new(name, path, command, kind).with_source(error),
        }
    }

    /// The kind of failure.
    ///
    /// ```
    /// use more_threads::{Process, process::ProcessErrorKind};
    /// let error = Process::run("nope", std::process::Command::new("/no/such/program")).unwrap_err();
    /// assert_eq!(error.kind(), ProcessErrorKind::NotStarted);
    /// ```
    pub fn kind(&self) -> ProcessErrorKind {
        self.details.kind
    }

    /// The name the process was given.
    ///
    /// ```
    /// let error = more_threads::Process::run("nope", std::process::Command::new("/no/such")).unwrap_err();
    /// assert_eq!(error.name(), "nope");
    /// ```
    pub fn name(&self) -> &str {
        &self.details.name
    }

    /// Its path in the tree, `main/.../name`.
    ///
    /// ```
    /// let error = more_threads::Process::run("nope", std::process::Command::new("/no/such")).unwrap_err();
    /// assert!(error.path().ends_with("/nope"));
    /// ```
    pub fn path(&self) -> &str {
        &self.details.path
    }

    /// The command line, as it was started.
    ///
    /// ```
    /// let error = more_threads::Process::run("nope", std::process::Command::new("/no/such")).unwrap_err();
    /// assert_eq!(error.command(), "/no/such");
    /// ```
    pub fn command(&self) -> &str {
        &self.details.command
    }

    /// How it ended, if it ran.
    ///
    /// ```
    /// # use more_threads::Process;
    /// let error = Process::run("f", std::process::Command::new("false"))?.join().unwrap_err();
    /// assert!(!error.status().unwrap().success());
    /// # Ok::<(), more_threads::process::ProcessError>(())
    /// ```
    pub fn status(&self) -> Option<ExitStatus> {
        self.details.status
    }

    /// Its exit code, if it exited (rather than being ended by a signal).
    ///
    /// ```
    /// # use more_threads::Process;
    /// let error = Process::run("f", std::process::Command::new("false"))?.join().unwrap_err();
    /// assert_eq!(error.code(), Some(1));
    /// # Ok::<(), more_threads::process::ProcessError>(())
    /// ```
    pub fn code(&self) -> Option<i32> {
        self.details.status.and_then(|status| status.code())
    }

    /// The signal that ended it, if one did.
    ///
    /// ```
    /// # use more_threads::Process;
    /// let mut command = std::process::Command::new("sh");
    /// command.args(["-c", "kill -9 $$"]);
    /// let error = Process::run("k", command)?.join().unwrap_err();
    /// assert_eq!(error.signal(), Some(9));
    /// # Ok::<(), more_threads::process::ProcessError>(())
    /// ```
    pub fn signal(&self) -> Option<i32> {
        use std::os::unix::process::ExitStatusExt;
        self.details.status.and_then(|status| status.signal())
    }

    /// The last lines it wrote on stderr (at most 20), oldest first.
    ///
    /// ```
    /// # use more_threads::Process;
    /// let mut command = std::process::Command::new("sh");
    /// command.args(["-c", "echo one >&2; echo two >&2; exit 1"]);
    /// let error = Process::run("t", command)?.join().unwrap_err();
    /// assert_eq!(error.stderr_tail(), ["one", "two"]);
    /// # Ok::<(), more_threads::process::ProcessError>(())
    /// ```
    pub fn stderr_tail(&self) -> &[String] {
        &self.details.stderr_tail.0
    }
}

impl fmt::Display for ProcessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let details = &*self.details;
        let path = &details.path;
        match details.kind {
            ProcessErrorKind::NotStarted => {
                write!(f, "process {path} could not start `{}`", details.command)?;
            }
            ProcessErrorKind::Exited => match self.code() {
                Some(code) => write!(f, "process {path} exited with code {code}")?,
                None => write!(f, "process {path} failed")?,
            },
            ProcessErrorKind::Signalled => match self.signal() {
                Some(signal) => write!(f, "process {path} was ended by signal {signal}")?,
                None => write!(f, "process {path} was ended by a signal")?,
            },
            ProcessErrorKind::Killed => write!(
                f,
                "process {path} did not end after SIGTERM within its grace period: killed"
            )?,
            ProcessErrorKind::Silent => match details.silent_for {
                Some(silent) => write!(f, "process {path} was silent for {silent:.1?}: ended")?,
                None => write!(f, "process {path} was silent too long: ended")?,
            },
            ProcessErrorKind::Stopped => {
                write!(f, "process {path} was stopped before it could restart")?;
            }
            ProcessErrorKind::Thread => write!(f, "process {path} could not be watched")?,
        }
        if f.alternate() {
            crate::error_chain::write_sources(f, self)?;
        }
        Ok(())
    }
}

impl fmt::Debug for ProcessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let details = &*self.details;
        f.debug_struct("ProcessError")
            .field("path", &details.path)
            .field("command", &details.command)
            .field("kind", &details.kind)
            .field("status", &details.status)
            .field("stderr_tail", &details.stderr_tail)
            .field("source", &details.source)
            .finish()
    }
}

impl Error for ProcessError {
    /// Why: the `io::Error` of a program that could not start, the
    /// [`ThreadError`] of a watch that failed, or else the last lines of its
    /// stderr, if it wrote any.
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        let details = &*self.details;
        match &details.source {
            Some(source) => Some(&**source as &(dyn Error + 'static)),
            None if !details.stderr_tail.0.is_empty() => Some(&details.stderr_tail),
            None => None,
        }
    }
}
