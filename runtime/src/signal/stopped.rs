//! [`Stopped`]: how a worker says "I returned because I was asked to stop".

use super::StopReason;
use std::borrow::Cow;
use std::error::Error;
use std::fmt;

/// The error of [`Signal::check`](super::Signal::check): the Signal went, so
/// the worker stops early. It is not a failure: a thread whose worker returns
/// it (directly, or anywhere in its error's `source()` chain) ends with
/// [`ThreadErrorKind::Stopped`](crate::thread::ThreadErrorKind::Stopped), which is
/// logged at DEBUG and never fails a scope, a parent or `Main`.
///
/// ```
/// use more_threads::{Signal, signal::Stopped};
///
/// let please_stop = Signal::named("please_stop");
/// assert!(please_stop.check().is_ok());
/// please_stop.go();
/// let stopped: Stopped = please_stop.check().unwrap_err();
/// assert!(stopped.to_string().starts_with("stopped because "), "{stopped}");
/// assert!(stopped.to_string().ends_with("main asked"), "{stopped}");
/// ```
#[derive(Clone)]
pub struct Stopped {
    signal: Cow<'static, str>,
    reason: Option<StopReason>,
}

impl Stopped {
    pub(crate) fn new(signal: String, reason: Option<StopReason>) -> Stopped {
        Stopped {
            signal: Cow::Owned(signal),
            reason,
        }
    }

    /// Why the Signal went, if known: what the Display says after
    /// "stopped because".
    ///
    /// ```
    /// use more_threads::{Signal, signal::StopReason};
    ///
    /// let please_stop = Signal::new();
    /// please_stop.go_because(StopReason::other("enough"));
    /// let stopped = please_stop.check().unwrap_err();
    /// assert_eq!(stopped.reason(), Some(&StopReason::other("enough")));
    /// ```
    pub fn reason(&self) -> Option<&StopReason> {
        self.reason.as_ref()
    }

    /// `self`, saying `reason` if it said no reason of its own (a Queue's
    /// `Stopped`, made before anyone asked why).
    pub(crate) fn or_because(mut self, reason: Option<StopReason>) -> Stopped {
        if self.reason.is_none() {
            self.reason = reason;
        }
        self
    }

    /// The `Stopped` of a call that gave up on its thread's own
    /// `please_stop` (a Queue's `pop()` or `add()`): the source of their
    /// `Stopped` errors, so that a worker that returns one with `?` ends
    /// quietly, as after `please_stop.check()?`.
    pub(crate) fn own_please_stop() -> &'static Stopped {
        static OWN: Stopped = Stopped {
            signal: Cow::Borrowed("this thread's please_stop"),
            reason: None,
        };
        &OWN
    }

    /// Whether `error`, or any error in its `source()` chain, is a
    /// [`Stopped`]: whether its thread returned because it was asked to. A
    /// [`ThreadError`](crate::ThreadError) of kind
    /// [`Stopped`](crate::thread::ThreadErrorKind::Stopped) has one as its source.
    ///
    /// ```
    /// use more_threads::{Signal, signal::Stopped};
    ///
    /// let please_stop = Signal::new();
    /// please_stop.go();
    /// let error: Box<dyn std::error::Error> = please_stop.check().unwrap_err().into();
    /// assert!(Stopped::is_in(&*error));
    /// assert!(!Stopped::is_in(&std::io::Error::other("disk full")));
    /// ```
    pub fn is_in(error: &(dyn Error + 'static)) -> bool {
        Stopped::find_in(error).is_some()
    }

    /// The first [`Stopped`] in `error`'s `source()` chain, itself included.
    pub(crate) fn find_in<'a>(error: &'a (dyn Error + 'static)) -> Option<&'a Stopped> {
        let mut cursor = Some(error);
        while let Some(error) = cursor {
            if let Some(stopped) = error.downcast_ref::<Stopped>() {
                return Some(stopped);
            }
            cursor = error.source();
        }
        None
    }
}

impl fmt::Display for Stopped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.reason {
            Some(reason) => write!(f, "stopped because {reason}"),
            None => write!(f, "stopped: {} went", self.signal),
        }
    }
}

impl fmt::Debug for Stopped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stopped")
            .field("signal", &self.signal)
            .field("reason", &self.reason)
            .finish()
    }
}

impl Error for Stopped {}
