//! [`Promise`]: a value assigned once and waited for; a Signal that carries
//! a value.
//!
//! A thread that computes one result for others (a worker's answer, a
//! configuration loaded once) needs a place to put it that the others can
//! wait on, with a timeout or a stop request, from threads or from async
//! code: a channel of one item loses it to the first reader, a Mutex and a
//! Condvar are ten lines to get right each time. A [`Promise`] is that place.
//!
//! ```
//! use more_threads::{Promise, Thread, Till};
//!
//! let config = Promise::named("config");
//! let loader = {
//!     let config = config.clone();
//!     Thread::run("loader", move |_| config.keep(String::from("port = 8080")))?
//! };
//! // Any number of readers, each with its own patience.
//! assert_eq!(config.wait_till(&Till::seconds(10.0)).map(String::as_str), Some("port = 8080"));
//! loader.join()?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! From async code it is awaited ([`Wait`], [`Take`]): see
//! [`Promise`'s `# Async`](Promise#async).
//!
//! Named `Promise` rather than `Future`: `Future` is the standard library's
//! async trait, in the 2024 prelude, and a type of that name that blocks
//! would mislead; and a [`Signal`] is already documented as "a promise that
//! carries no value", which this completes.

use crate::signal::Signal;
use crate::sync::Arc;
use crate::sync::real::OnceLock;
use std::borrow::Cow;
use std::error::Error;
use std::fmt;

mod future;
#[cfg(all(test, not(loom)))]
mod tests;

pub use future::{Take, Wait};

/// A value that one thread assigns, once, and others wait for.
///
/// Clones share the value. [`assign`](Promise::assign) succeeds once; later
/// calls give their value back. Readers [`wait`](Promise::wait_till) with a till
/// and get a reference; the last holder can [`take`](Promise::take) the value.
///
/// Guarantees: the assignment happens-before every `wait` or `get` that
/// returns the value; waiting sleeps until assigned or the till goes, never
/// polls; dropping every clone drops the value.
///
/// ```
/// use more_threads::{Promise, Thread, Till};
///
/// let answer = Promise::named("answer");
/// let thinker = {
///     let answer = answer.clone();
///     Thread::run("thinker", move |_| answer.assign(42))?
/// };
/// assert_eq!(answer.wait_till(&Till::seconds(10.0)), Some(&42));
/// thinker.join()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Async
///
/// A promise can be awaited, blocking no executor thread, whatever the
/// executor: `(&promise).await` is a reference to the value once assigned
/// ([`Wait`]); `promise.await` takes the value out if no other handle is
/// left, as [`take`](Promise::take) does, and gives the promise back if one
/// is ([`Take`]). A worker that hands its result over with
/// [`keep`](Promise::keep) is never that other handle. A promise that is
/// never assigned stays pending: await it in a `select!` beside the
/// worker's `stopped()`, or `please_stop`.
///
/// ```
/// use more_threads::{Promise, Thread};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let total = Promise::named("total");
/// let adder = {
///     let total = total.clone();
///     Thread::run("adder", move |_| total.keep((1..=100).sum::<u64>()))?
/// };
/// let stopped = adder.stopped().clone();
/// tokio::select! {
///     biased; // the value first: `stopped` goes after it, so both may be ready
///     sum = total => assert_eq!(sum.expect("kept: ours is the last handle"), 5050),
///     () = stopped => panic!("the adder ended without keeping its promise"),
/// }
/// adder.join()?;
/// # Ok(())
/// # }
/// ```
pub struct Promise<T> {
    inner: Arc<Inner<T>>,
}

struct Inner<T> {
    value: OnceLock<T>,
    /// Goes right after the value is set.
    assigned: Signal,
}

/// What [`Promise::assign`] returns when the promise already has a value:
/// the value it was given, back.
///
/// ```
/// let promise = more_threads::Promise::new();
/// promise.assign(1).unwrap();
/// let error = promise.assign(2).unwrap_err();
/// assert_eq!(error.to_string(), "the promise already has a value: the new one was not assigned");
/// assert_eq!(error.into_inner(), 2);
/// ```
#[derive(PartialEq, Eq, Clone, Copy)]
pub struct AssignError<T>(pub T);

impl<T> Promise<T> {
    /// A promise with no value yet, and no name.
    ///
    /// ```
    /// let promise = more_threads::Promise::<u8>::new();
    /// assert_eq!(promise.get(), None);
    /// ```
    pub fn new() -> Promise<T> {
        Promise::with_signal(Signal::new())
    }

    /// A promise with a name, shown in its `Debug` and in thread dumps of
    /// threads waiting on it.
    ///
    /// ```
    /// let promise = more_threads::Promise::<u8>::named("reply");
    /// assert_eq!(format!("{promise:?}"), r#"Promise("reply", waiting)"#);
    /// ```
    pub fn named(name: impl Into<Cow<'static, str>>) -> Promise<T> {
        Promise::with_signal(Signal::named(name))
    }

    fn with_signal(assigned: Signal) -> Promise<T> {
        Promise {
            inner: Arc::new(Inner {
                value: OnceLock::new(),
                assigned,
            }),
        }
    }

    /// Gives the promise its value, and wakes everyone waiting.
    ///
    /// # Errors
    ///
    /// [`AssignError`] with `value` if the promise already has one (exactly
    /// one of racing `assign`s succeeds).
    ///
    /// ```
    /// let promise = more_threads::Promise::new();
    /// assert!(promise.assign("first").is_ok());
    /// assert!(promise.assign("second").is_err());
    /// assert_eq!(promise.get(), Some(&"first"));
    /// ```
    pub fn assign(&self, value: T) -> Result<(), AssignError<T>> {
        self.inner.value.set(value).map_err(AssignError)?;
        self.inner.assigned.go();
        Ok(())
    }

    /// Assigns the value, as [`assign`](Promise::assign), and lets go of
    /// this handle *before* anyone waiting is woken, so that a waiter holding
    /// the last other handle can always [`take`](Promise::take) the value:
    /// the way for a producer that hands its result over and is done.
    ///
    /// # Errors
    ///
    /// [`AssignError`] with `value` if the promise already has one (the
    /// handle is let go of all the same).
    ///
    /// ```
    /// use more_threads::{Promise, Signal};
    ///
    /// let result = Promise::named("result");
    /// let producer = {
    ///     let result = result.clone();
    ///     std::thread::spawn(move || result.keep(vec![1, 2, 3]))
    /// };
    /// // Never refused for another handle: the producer's is gone once it is kept.
    /// assert_eq!(result.take(&Signal::new()).unwrap(), vec![1, 2, 3]);
    /// producer.join().unwrap()?;
    /// # Ok::<(), more_threads::promise::AssignError<Vec<u8>>>(())
    /// ```
    pub fn keep(self, value: T) -> Result<(), AssignError<T>> {
        let assigned = self.inner.assigned.clone();
        self.inner.value.set(value).map_err(AssignError)?;
        drop(self);
        assigned.go();
        Ok(())
    }

    /// The value, if assigned; never blocks.
    ///
    /// ```
    /// let promise = more_threads::Promise::new();
    /// assert_eq!(promise.get(), None);
    /// promise.assign(3).unwrap();
    /// assert_eq!(promise.get(), Some(&3));
    /// ```
    pub fn get(&self) -> Option<&T> {
        if self.inner.assigned.is_go() {
            self.inner.value.get()
        } else {
            None
        }
    }

    /// Waits until the promise has a value or `till` goes; the value, or
    /// `None` if the till went first.
    ///
    /// ```
    /// use more_threads::{Promise, Till};
    ///
    /// let never_kept = Promise::<u8>::named("never kept");
    /// assert_eq!(never_kept.wait_till(&Till::seconds(0.001)), None);
    /// ```
    pub fn wait_till(&self, till: &Signal) -> Option<&T> {
        if self.inner.assigned.wait_till(till) {
            self.inner.value.get()
        } else {
            None
        }
    }

    /// Waits like [`wait`](Promise::wait_till), then takes the value out if this
    /// is the last clone of the promise.
    ///
    /// # Errors
    ///
    /// The promise back, untouched, if `till` went first or other clones
    /// still share the value (as `Arc::try_unwrap` does).
    ///
    /// ```
    /// use more_threads::{Promise, Till};
    ///
    /// let promise = Promise::new();
    /// let reader = promise.clone();
    /// promise.assign(String::from("big value")).unwrap();
    /// let reader = reader.take(&Till::seconds(1.0)).unwrap_err(); // `promise` still shares it
    /// drop(promise);
    /// assert_eq!(reader.take(&Till::seconds(1.0)).unwrap(), "big value");
    /// ```
    pub fn take(mut self, till: &Signal) -> Result<T, Promise<T>> {
        if !self.inner.assigned.wait_till(till) {
            return Err(self);
        }
        match Arc::get_mut(&mut self.inner).and_then(|inner| inner.value.take()) {
            Some(value) => Ok(value),
            None => Err(self),
        }
    }

    /// The Signal that goes once the promise has a value, to combine with
    /// others or to hang a `then` on.
    ///
    /// ```
    /// let promise = more_threads::Promise::new();
    /// let kept = promise.assigned().clone();
    /// promise.assign(()).unwrap();
    /// assert!(kept.is_go());
    /// ```
    pub fn assigned(&self) -> &Signal {
        &self.inner.assigned
    }
}

impl<T> Clone for Promise<T> {
    /// Another handle on the same promise.
    fn clone(&self) -> Promise<T> {
        Promise {
            inner: self.inner.clone(),
        }
    }
}

impl<T> Default for Promise<T> {
    /// Same as [`Promise::new`].
    fn default() -> Promise<T> {
        Promise::new()
    }
}

impl<T> fmt::Debug for Promise<T> {
    /// `Promise("name", assigned)` or `Promise("name", waiting)`; the value
    /// is not shown (it need not be `Debug`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = if self.inner.assigned.is_go() {
            "assigned"
        } else {
            "waiting"
        };
        let name = self.inner.assigned.name().unwrap_or("");
        write!(f, "Promise({name:?}, {state})")
    }
}

impl<T> AssignError<T> {
    /// The value that was not assigned.
    ///
    /// ```
    /// assert_eq!(more_threads::promise::AssignError(5).into_inner(), 5);
    /// ```
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for AssignError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AssignError(..)")
    }
}

impl<T> fmt::Display for AssignError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the promise already has a value: the new one was not assigned")
    }
}

impl<T> Error for AssignError<T> {}
