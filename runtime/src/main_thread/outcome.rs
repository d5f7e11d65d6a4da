//! [`MainOutcome`]: what main's body may return, and how its error keeps
//! its causes on the way to the exit code.

use crate::signal::Stopped;
use crate::thread::BoxError;
use crate::thread::error::ThreadError;
use std::process::ExitCode;

/// What the body of [`Main::run`](super::Main::run) may return, as `fn main` may: `()`, an
/// [`ExitCode`], or a `Result` whose `Err` (anything `Display`, e.g.
/// `Box<dyn Error>`, `anyhow::Error`, [`ThreadError`]) is reported and makes
/// the exit code 1.
///
/// The error keeps its causes: a [`BoxError`] or a [`ThreadError`] is
/// handed on as it is, its `source()` chain intact; a `Box<dyn Error>`
/// (which cannot cross threads) as the text of its whole chain; anything
/// else as its `{:#}` text (which for `anyhow::Error` is its chain).
///
/// ```
/// use more_threads::main_thread::MainOutcome;
/// use std::process::ExitCode;
///
/// assert!(().into_exit_code().is_ok());
/// assert!(Err::<(), _>("no config").into_exit_code().is_err());
/// assert_eq!(Ok::<_, String>(ExitCode::from(3)).into_exit_code().unwrap(), ExitCode::from(3));
///
/// let why = std::io::Error::other("disk full");
/// let error = Err::<(), more_threads::BoxError>(why.into()).into_exit_code().unwrap_err();
/// assert!(error.downcast_ref::<std::io::Error>().is_some(), "the error itself, not its text");
/// ```
pub trait MainOutcome {
    /// The exit code, or the error that made it a failure.
    ///
    /// # Errors
    ///
    /// The body's error, with its causes.
    fn into_exit_code(self) -> Result<ExitCode, BoxError>;
}

impl MainOutcome for () {
    fn into_exit_code(self) -> Result<ExitCode, BoxError> {
        Ok(ExitCode::SUCCESS)
    }
}

impl MainOutcome for ExitCode {
    fn into_exit_code(self) -> Result<ExitCode, BoxError> {
        Ok(self)
    }
}

/// An `Err` that only says main was asked to stop (`please_stop.check()?`,
/// or a join of a child that stopped quietly) is no failure: exit code 0.
impl<T: MainOutcome, E: std::fmt::Display + 'static> MainOutcome for Result<T, E> {
    fn into_exit_code(self) -> Result<ExitCode, BoxError> {
        match self {
            Ok(value) => value.into_exit_code(),
            Err(error) if says_stopped(&error) => {
                report!(Debug, "more_threads::thread", about: ("main", "main"), "main stopped quietly: {error}");
                Ok(ExitCode::SUCCESS)
            }
            Err(error) => Err(with_its_causes(error)),
        }
    }
}

/// `error` as a [`BoxError`] that keeps its causes (see [`MainOutcome`]).
fn with_its_causes<E: std::fmt::Display + 'static>(error: E) -> BoxError {
    use std::any::Any;
    let seen: &dyn Any = &error;
    if seen.is::<BoxError>() || seen.is::<ThreadError>() {
        let boxed: Box<dyn Any> = Box::new(error);
        return match boxed.downcast::<BoxError>() {
            Ok(error) => *error,
            Err(boxed) => match boxed.downcast::<ThreadError>() {
                Ok(error) => error,
                Err(_) => unreachable!("it is one of the two, as `is` said"),
            },
        };
    }
    let text = match seen.downcast_ref::<Box<dyn std::error::Error>>() {
        Some(error) => crate::error_chain::with_sources(&**error),
        None => format!("{error:#}"),
    };
    text.into()
}

/// Whether an error of any type is a quiet stop: a [`Stopped`], a stopped
/// [`ThreadError`], or a box of an error that says so.
fn says_stopped(error: &dyn std::any::Any) -> bool {
    use std::error::Error;
    if let Some(error) = error.downcast_ref::<Stopped>() {
        return Stopped::is_in(error);
    }
    if let Some(error) = error.downcast_ref::<ThreadError>() {
        return Stopped::is_in(error);
    }
    if let Some(error) = error.downcast_ref::<Box<dyn Error + Send + Sync>>() {
        return Stopped::is_in(&**error);
    }
    if let Some(error) = error.downcast_ref::<Box<dyn Error>>() {
        return Stopped::is_in(&**error);
    }
    false
}
