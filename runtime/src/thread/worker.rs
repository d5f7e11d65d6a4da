//! What a thread runs: a [`Worker`], and what it returns: an [`Outcome`].

use crate::signal::Signal;
use crate::sync::Arc;
use std::error::Error;

/// The error type a failing worker hands over: any error that can cross
/// threads, as `?` and `.into()` make from `io::Error`, `String`, anyhow's
/// error and most others.
///
/// ```
/// use more_threads::BoxError;
///
/// let error: BoxError = "no such page".into();
/// assert_eq!(error.to_string(), "no such page");
/// ```
pub type BoxError = Box<dyn Error + Send + Sync + 'static>;

/// Something that can run on a thread given that thread's `please_stop`.
///
/// Every `FnOnce(&Signal) -> O + Send` closure is a worker, and so is what a
/// `#[worker]` function returns when called. The closure names the Signal it
/// must honour, which is the point: a worker that does not take `please_stop`
/// cannot be stopped, so it is refused at compile time.
///
/// ```
/// use more_threads::{Signal, Thread, Worker};
///
/// fn count_to(limit: u32) -> impl Worker<u32> {
///     move |please_stop: &Signal| {
///         let mut n = 0;
///         while n < limit && !please_stop.is_go() {
///             n += 1;
///         }
///         n
///     }
/// }
///
/// // On a thread of its own...
/// assert_eq!(Thread::run("counter", count_to(10)).unwrap().join().unwrap(), 10);
/// // ...or right here.
/// assert_eq!(count_to(5).run(&Signal::new()), 5);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a worker: a worker is run with its thread's `please_stop: &Signal`",
    label = "not a worker",
    note = "pass a closure that takes the stop signal, `|please_stop| ...`, and returns when it goes, or call a `#[worker]` fn"
)]
pub trait Worker<O>: FnOnce(&Signal) -> O + Send {
    /// Runs the worker on the current thread with the given stop signal.
    ///
    /// ```
    /// use more_threads::{Signal, Worker};
    ///
    /// let worker = |please_stop: &Signal| please_stop.is_go();
    /// assert!(!worker.run(&Signal::new()));
    /// ```
    fn run(self, please_stop: &Signal) -> O
    where
        Self: Sized,
    {
        self(please_stop)
    }
}

impl<F, O> Worker<O> for F where F: FnOnce(&Signal) -> O + Send {}

/// What a worker returns: a value, or a `Result` whose `Err` is the thread's
/// failure.
///
/// `join` hands back [`Outcome::Value`] or the failure as a
/// [`ThreadError`](crate::ThreadError); a released thread's failure is logged.
/// Implemented for `Result<T, E>` (the failure is `E`), for `()` and for the
/// standard library's value types. A worker whose last expression is an
/// integer literal may need a suffix (`|_| 42_u32`) when the join is followed
/// by `?`, since the literal's type is chosen only after `?` needs it.
/// For a type of your own, return it inside `Ok(...)`, or implement
/// `Outcome` in three lines:
///
/// ```
/// use more_threads::{BoxError, thread::Outcome, Thread};
///
/// struct Totals { words: usize }
///
/// impl Outcome for Totals {
///     type Value = Totals;
///     fn into_result(self) -> Result<Totals, BoxError> { Ok(self) }
/// }
///
/// let totals = Thread::run("count", |_| Totals { words: 3 }).unwrap().join().unwrap();
/// assert_eq!(totals.words, 3);
/// ```
#[diagnostic::on_unimplemented(
    message = "a worker cannot return `{Self}`: more-threads cannot tell a failure from a value of this type",
    label = "returned by this worker",
    note = "return a `Result<_, E>` (its `Err` is the thread's failure), e.g. `Ok(value)`, or implement `more_threads::thread::Outcome` for `{Self}` with `type Value = Self`"
)]
pub trait Outcome {
    /// What a successful `join` returns.
    type Value;

    /// Splits the outcome into the value, or the failure.
    ///
    /// ```
    /// use more_threads::thread::Outcome;
    ///
    /// assert_eq!(7.into_result().unwrap(), 7);
    /// assert!(Err::<u8, _>("broken").into_result().is_err());
    /// ```
    fn into_result(self) -> Result<Self::Value, BoxError>;
}

impl<T, E> Outcome for Result<T, E>
where
    E: Into<BoxError>,
{
    type Value = T;

    fn into_result(self) -> Result<T, BoxError> {
        self.map_err(Into::into)
    }
}

macro_rules! plain_outcomes {
    ($([$($param:ident),*] $ty:ty),* $(,)?) => {$(
        impl<$($param),*> Outcome for $ty {
            type Value = $ty;

            fn into_result(self) -> Result<Self::Value, BoxError> {
                Ok(self)
            }
        }
    )*};
}

super::std_types::with_std_value_types!(plain_outcomes);
super::std_types::with_std_value_types_without_default!(plain_outcomes);

/// A worker's `Option` is its value: `None` is not a failure.
impl<T> Outcome for Option<T> {
    type Value = Option<T>;

    fn into_result(self) -> Result<Option<T>, BoxError> {
        Ok(self)
    }
}

impl<T: ?Sized> Outcome for Arc<T> {
    type Value = Arc<T>;

    fn into_result(self) -> Result<Arc<T>, BoxError> {
        Ok(self)
    }
}

/// Text a scoped worker borrows from the data it was lent.
impl<'a> Outcome for &'a str {
    type Value = &'a str;

    fn into_result(self) -> Result<&'a str, BoxError> {
        Ok(self)
    }
}

/// A slice a scoped worker borrows from the data it was lent.
impl<'a, T> Outcome for &'a [T] {
    type Value = &'a [T];

    fn into_result(self) -> Result<&'a [T], BoxError> {
        Ok(self)
    }
}

/// What every thread's name may be given as, wherever a thread is named
/// ([`Thread::run`](crate::Thread::run), `spawn NAME => ...`,
/// [`RegisterThread::new`](crate::RegisterThread::new), a pool, a
/// process...): a string of some kind, owned or borrowed: `"walker"`,
/// `format!("counter-{i}")`, `&name`, a `Cow`, an `Arc<str>`.
///
/// ```
/// use more_threads::Thread;
///
/// let names = vec![String::from("a"), String::from("b")];
/// for name in &names {
///     Thread::run(name, |_| ()).unwrap().join().unwrap(); // borrowed
/// }
/// Thread::run(format!("c-{}", 3), |_| ()).unwrap().join().unwrap(); // owned
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a thread name",
    label = "a thread name is a string",
    note = "name the thread with a string, e.g. `spawn \"walker\" => ...` or `spawn format!(\"counter-{{i}}\") => ...`"
)]
pub trait ThreadName {
    /// The name as text.
    ///
    /// ```
    /// use more_threads::thread::ThreadName;
    ///
    /// assert_eq!(String::from("walker").thread_name(), "walker");
    /// ```
    fn thread_name(&self) -> &str;
}

impl ThreadName for str {
    fn thread_name(&self) -> &str {
        self
    }
}

impl ThreadName for String {
    fn thread_name(&self) -> &str {
        self
    }
}

impl ThreadName for std::borrow::Cow<'_, str> {
    fn thread_name(&self) -> &str {
        self
    }
}

impl ThreadName for Box<str> {
    fn thread_name(&self) -> &str {
        self
    }
}

impl ThreadName for Arc<str> {
    fn thread_name(&self) -> &str {
        self
    }
}

impl<N: ThreadName + ?Sized> ThreadName for &N {
    fn thread_name(&self) -> &str {
        (**self).thread_name()
    }
}
