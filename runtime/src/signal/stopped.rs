//! [`Stopped`]: how a worker says "I returned because I was asked to stop".

use std::error::Error;
use std::fmt;

/// The error of [`Signal::check`](super::Signal::check): the Signal went, so
/// the worker stops early. It is not a failure: a thread whose worker returns
/// it (directly, or anywhere in its error's `source()` chain) ends with
/// [`ThreadErrorKind::Stopped`](crate::ThreadErrorKind::Stopped), which is
/// logged at DEBUG and never fails a scope, a parent or `Main`.
///
/// ```
/// use more_threads::{Signal, Stopped};
///
/// let please_stop = Signal::named("please_stop");
/// assert!(please_stop.check().is_ok());
/// please_stop.go();
/// let stopped: Stopped = please_stop.check().unwrap_err();
/// assert_eq!(stopped.to_string(), "stopped: please_stop went");
/// ```
#[derive(Clone)]
pub struct Stopped {
    signal: String,
}

impl Stopped {
    pub(crate) fn new(signal: String) -> Stopped {
        Stopped { signal }
    }

    /// Whether `error`, or any error in its `source()` chain, says that its
    /// thread stopped because it was asked to: a [`Stopped`], or a
    /// [`ThreadError`](crate::ThreadError) of kind
    /// [`Stopped`](crate::ThreadErrorKind::Stopped).
    ///
    /// ```
    /// use more_threads::{Signal, Stopped};
    ///
    /// let please_stop = Signal::new();
    /// please_stop.go();
    /// let error: Box<dyn std::error::Error> = please_stop.check().unwrap_err().into();
    /// assert!(Stopped::is_in(&*error));
    /// assert!(!Stopped::is_in(&std::io::Error::other("disk full")));
    /// ```
    pub fn is_in(error: &(dyn Error + 'static)) -> bool {
        let mut cursor = Some(error);
        while let Some(error) = cursor {
            if error.is::<Stopped>()
                || error
                    .downcast_ref::<crate::ThreadError>()
                    .is_some_and(|error| error.kind() == crate::ThreadErrorKind::Stopped)
            {
                return true;
            }
            cursor = error.source();
        }
        false
    }
}

impl fmt::Display for Stopped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "stopped: {} went", self.signal)
    }
}

impl fmt::Debug for Stopped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stopped")
            .field("signal", &self.signal)
            .finish()
    }
}

impl Error for Stopped {}
