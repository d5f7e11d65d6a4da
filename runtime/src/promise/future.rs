//! Awaiting a Promise from async code: `(&result).await` for a reference to
//! the value, `result.await` to take it.
//!
//! Both are the Signal's future ([`signal::Wait`]) on the promise's
//! `assigned` Signal, which goes right after the value is set, and then a
//! look at the value: all that is said there of wakers (one per pending
//! future, taken off when it is dropped, woken outside the lock) holds here.
//!
//! Two futures, because a promise is shared: a reference to the value can
//! always be had, for as long as the promise is borrowed; the value itself
//! only by the last handle, as [`Promise::take`] does.

use super::Promise;
use crate::signal::{self, Signal};
use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

/// The future of awaiting a `&Promise<T>`: a reference to its value, once
/// assigned.
///
/// Made by `(&promise).await`. Blocks no thread; dropping it before the
/// value comes takes its waker off the promise (see [`signal::Wait`], which
/// it is, on [`Promise::assigned`]). The assignment happens-before the poll
/// that returns the value. A promise that is never assigned keeps it
/// pending: await it beside something that ends, such as the assigning
/// thread's `stopped()` or `please_stop`, in a `select!`.
///
/// # Panics
///
/// If the promise's [`assigned`](Promise::assigned) Signal was made to go
/// by hand (`promise.assigned().go()`) while it had no value: the misuse
/// that leaves a `&T` nowhere to come from.
///
/// ```
/// # fn block_on<F: std::future::Future>(future: F) -> F::Output {
/// #     struct Unpark(std::thread::Thread);
/// #     impl std::task::Wake for Unpark {
/// #         fn wake(self: std::sync::Arc<Self>) { self.0.unpark() }
/// #     }
/// #     let waker = std::sync::Arc::new(Unpark(std::thread::current())).into();
/// #     let mut cx = std::task::Context::from_waker(&waker);
/// #     let mut future = std::pin::pin!(future);
/// #     loop {
/// #         match future.as_mut().poll(&mut cx) {
/// #             std::task::Poll::Ready(out) => return out,
/// #             std::task::Poll::Pending => std::thread::park(),
/// #         }
/// #     }
/// # }
/// use more_threads::{Promise, Thread};
///
/// let answer = Promise::named("answer");
/// let thinker = {
///     let answer = answer.clone();
///     Thread::run("thinker", move |_| answer.assign(6 * 7))?
/// };
/// let value: &u32 = block_on(async { (&answer).await });
/// assert_eq!(*value, 42);
/// thinker.join()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use = "a future does nothing unless it is awaited or polled"]
pub struct Wait<'a, T> {
    promise: &'a Promise<T>,
    assigned: signal::Wait<'a>,
}

/// The future of awaiting a `Promise<T>`: its value, taken out once
/// assigned, if this is the last handle on it; the promise back if not.
///
/// Made by `promise.await`, which is [`Promise::take`] without blocking:
/// `Ok(value)` if no other clone of the promise is left when the value
/// comes, `Err(promise)`, untouched, if one is (a reference is then
/// `(&promise).await`). A producer that hands its value over with
/// [`keep`](Promise::keep) lets go of its handle before the waiters are
/// woken, so it is never the other clone: the way for a worker's result.
/// Otherwise as [`Wait`]: blocks no thread, takes its waker off when
/// dropped, and stays pending while the promise has no value.
///
/// # Panics
///
/// If polled again after it returned `Ready` (it has handed its promise
/// over): the misuse that `Future` leaves to each future.
///
/// ```
/// # fn block_on<F: std::future::Future>(future: F) -> F::Output {
/// #     struct Unpark(std::thread::Thread);
/// #     impl std::task::Wake for Unpark {
/// #         fn wake(self: std::sync::Arc<Self>) { self.0.unpark() }
/// #     }
/// #     let waker = std::sync::Arc::new(Unpark(std::thread::current())).into();
/// #     let mut cx = std::task::Context::from_waker(&waker);
/// #     let mut future = std::pin::pin!(future);
/// #     loop {
/// #         match future.as_mut().poll(&mut cx) {
/// #             std::task::Poll::Ready(out) => return out,
/// #             std::task::Poll::Pending => std::thread::park(),
/// #         }
/// #     }
/// # }
/// use more_threads::{Promise, Thread};
///
/// let report = Promise::named("report");
/// let writer = {
///     let report = report.clone();
///     // `keep`, not `assign`: the worker's handle is gone before we look.
///     Thread::run("writer", move |_| report.keep(String::from("all good")))?
/// };
/// let text: String = block_on(async { report.await }).expect("the only handle left");
/// assert_eq!(text, "all good");
/// writer.join()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use = "a future does nothing unless it is awaited or polled"]
pub struct Take<T> {
    /// `None` once it has been handed out with `Ready`.
    promise: Option<Promise<T>>,
    assigned: signal::Wait<'static>,
}

impl<'a, T> IntoFuture for &'a Promise<T> {
    type Output = &'a T;
    type IntoFuture = Wait<'a, T>;

    /// A future of a reference to the value, once assigned; `(&promise).await`.
    ///
    /// ```
    /// # fn block_on<F: std::future::Future>(future: F) -> F::Output {
    /// #     let mut future = std::pin::pin!(future);
    /// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    /// #     match future.as_mut().poll(&mut cx) {
    /// #         std::task::Poll::Ready(out) => out,
    /// #         std::task::Poll::Pending => unreachable!("assigned, so ready at once"),
    /// #     }
    /// # }
    /// let promise = more_threads::Promise::new();
    /// promise.assign([1, 2, 3])?;
    /// assert_eq!(block_on(async { (&promise).await }), &[1, 2, 3]);
    /// # Ok::<(), more_threads::promise::AssignError<[u8; 3]>>(())
    /// ```
    fn into_future(self) -> Wait<'a, T> {
        Wait {
            promise: self,
            assigned: self.assigned().into_future(),
        }
    }
}

impl<T> IntoFuture for Promise<T> {
    type Output = Result<T, Promise<T>>;
    type IntoFuture = Take<T>;

    /// A future of the value, taken out once assigned if this is the last
    /// handle, or of the promise back; `promise.await`.
    ///
    /// ```
    /// # fn block_on<F: std::future::Future>(future: F) -> F::Output {
    /// #     let mut future = std::pin::pin!(future);
    /// #     let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    /// #     match future.as_mut().poll(&mut cx) {
    /// #         std::task::Poll::Ready(out) => out,
    /// #         std::task::Poll::Pending => unreachable!("assigned, so ready at once"),
    /// #     }
    /// # }
    /// use more_threads::Promise;
    ///
    /// let promise = Promise::new();
    /// let other = promise.clone();
    /// promise.assign(vec![7])?;
    /// let promise = block_on(async { promise.await }).unwrap_err(); // `other` shares it
    /// drop(other);
    /// assert_eq!(block_on(async { promise.await }).unwrap(), [7]);
    /// # Ok::<(), more_threads::promise::AssignError<Vec<u8>>>(())
    /// ```
    fn into_future(self) -> Take<T> {
        Take {
            assigned: self.assigned().clone().into_future(),
            promise: Some(self),
        }
    }
}

impl<'a, T> Future for Wait<'a, T> {
    type Output = &'a T;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<&'a T> {
        ready!(Pin::new(&mut self.assigned).poll(cx));
        match self.promise.get() {
            Some(value) => Poll::Ready(value),
            // `assign` goes only once the value is set, and the value cannot
            // be taken while this borrow lasts: only a `go` by hand on
            // `assigned()` comes here. Pending would hang the task for good
            // (a later `assign` wakes nobody: the Signal has gone); a panic
            // names what went wrong.
            None => panic!(
                "{:?}: its assigned() Signal went without a value (was go() called on it by hand?)",
                self.promise
            ),
        }
    }
}

impl<T> Future for Take<T> {
    type Output = Result<T, Promise<T>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        ready!(Pin::new(&mut self.assigned).poll(cx));
        let promise = self
            .promise
            .take()
            .expect("a promise::Take polled again after it returned Ready");
        // Assigned: `take` returns at once, whatever its till.
        Poll::Ready(promise.take(&Signal::gone()))
    }
}

impl<T> fmt::Debug for Wait<'_, T> {
    /// `Wait { promise: Promise("answer", waiting) }`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Wait")
            .field("promise", self.promise)
            .finish_non_exhaustive()
    }
}

impl<T> fmt::Debug for Take<T> {
    /// `Take { promise: Some(Promise("report", waiting)) }`; `None` once
    /// handed out.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Take")
            .field("promise", &self.promise)
            .finish_non_exhaustive()
    }
}
