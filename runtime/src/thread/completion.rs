//! Fan-in: joining many threads, in order or as they finish.
//!
//! Joining handles in the order they were started waits for the slowest
//! early one before it sees a later one that failed at once. [`as_completed`]
//! yields each thread's outcome as it finishes, so a failure is seen as soon
//! as it happens, and in a scope, `?` on it leaves the block (which stops the
//! others) at once.
//!
//! ```
//! use more_threads::{ThreadError, Till, as_completed, scope};
//!
//! let error = scope(|scope| {
//!     let chunks: Vec<_> = (0..4)
//!         .map(|n| {
//!             scope.spawn(format!("chunk-{n}"), move |please_stop| {
//!                 if n == 3 {
//!                     return Err("bad data".into()); // fails at once
//!                 }
//!                 (please_stop | Till::seconds(60.0)).wait(); // slow work
//!                 please_stop.check()?; // stopped by chunk-3's failure
//!                 Ok::<_, more_threads::BoxError>(n)
//!             })
//!         })
//!         .collect();
//!     let mut total = 0;
//!     for outcome in as_completed(chunks) {
//!         total += outcome?; // chunk-3's failure comes first: leaves at once
//!     }
//!     Ok::<_, ThreadError>(total)
//! })
//! .unwrap_err();
//! assert!(format!("{error:#}").contains("chunk-3 failed: bad data"));
//! ```

use super::error::ThreadError;
use super::handle::Thread;
use super::scope::ScopedThread;
use crate::signal::Signal;
use crate::thread::node::joining;
use crossbeam_channel::{Receiver, unbounded};
use std::fmt;

mod sealed {
    pub trait Sealed {}
}

/// A handle whose thread can be joined: [`Thread`] and [`ScopedThread`], for
/// [`join_all`] and [`as_completed`].
///
/// ```
/// use more_threads::{thread::Joinable, Thread};
///
/// fn path_of<H: Joinable>(handle: &H) -> String {
///     handle.stopped_signal().to_string()
/// }
/// let t = Thread::run("t", |_| ())?;
/// assert!(path_of(&t).ends_with("/t stopped"));
/// t.join()?;
/// # Ok::<(), more_threads::ThreadError>(())
/// ```
pub trait Joinable: sealed::Sealed {
    /// What joining gives on success.
    type Value;

    /// The Signal that goes when the thread has ended.
    fn stopped_signal(&self) -> &Signal;

    /// The thread's path, for the dump while waiting for it.
    fn thread_path(&self) -> &str;

    /// Waits for the thread; its value or its failure.
    ///
    /// # Errors
    ///
    /// As [`Thread::join`].
    fn join_thread(self) -> Result<Self::Value, ThreadError>;
}

/// Both handles answer with their inherent methods of the same names.
macro_rules! joinable {
    ($($handle:ty),*) => {$(
        impl<T> sealed::Sealed for $handle {}

        impl<T> Joinable for $handle {
            type Value = T;

            fn stopped_signal(&self) -> &Signal {
                self.stopped()
            }

            fn thread_path(&self) -> &str {
                self.path()
            }

            fn join_thread(self) -> Result<T, ThreadError> {
                self.join()
            }
        }
    )*};
}

joinable!(Thread<T>, ScopedThread<'_, T>);

/// Joins every thread, in order, and returns every outcome in that order.
///
/// Unlike joining in a loop with `?`, a failure does not leave the rest
/// unjoined: all are waited for, and every failure is in the result.
///
/// ```
/// use more_threads::{Thread, join_all};
///
/// let threads = (0..3)
///     .map(|n| Thread::run(&format!("square-{n}"), move |_| if n == 1 { Err("one") } else { Ok(n * n) }))
///     .collect::<Result<Vec<_>, _>>()?;
/// let outcomes = join_all(threads);
/// assert_eq!(outcomes[0].as_ref().unwrap(), &0);
/// assert!(outcomes[1].is_err());
/// assert_eq!(outcomes[2].as_ref().unwrap(), &4);
/// # Ok::<(), more_threads::ThreadError>(())
/// ```
pub fn join_all<H: Joinable>(
    handles: impl IntoIterator<Item = H>,
) -> Vec<Result<H::Value, ThreadError>> {
    handles.into_iter().map(Joinable::join_thread).collect()
}

/// Yields each thread's outcome as it finishes, first finished first.
///
/// Every handle is joined by the time the iterator is exhausted; handles
/// left when it is dropped early are dropped unjoined (their failures go to
/// the scope or the parent, as for any dropped handle).
///
/// ```
/// use more_threads::{Thread, Till, as_completed};
///
/// let slow = Thread::run("slow", |please_stop| {
///     (please_stop | Till::seconds(0.2)).wait();
///     "slow"
/// })?;
/// let quick = Thread::run("quick", |_| "quick")?;
/// let order: Vec<_> = as_completed([slow, quick]).map(Result::unwrap).collect();
/// assert_eq!(order, ["quick", "slow"]);
/// # Ok::<(), more_threads::ThreadError>(())
/// ```
pub fn as_completed<H: Joinable>(handles: impl IntoIterator<Item = H>) -> AsCompleted<H> {
    let (finished, receiver) = unbounded();
    let handles: Vec<Option<H>> = handles.into_iter().map(Some).collect();
    for (index, handle) in handles.iter().enumerate() {
        let finished = finished.clone();
        if let Some(handle) = handle {
            // Runs on the thread that finishes (or here, if it has): a send
            // on an unbounded channel never blocks.
            handle.stopped_signal().then(move || {
                let _ = finished.send(index);
            });
        }
    }
    AsCompleted {
        remaining: handles.len(),
        handles,
        finished: receiver,
    }
}

/// The iterator of [`as_completed`].
pub struct AsCompleted<H> {
    handles: Vec<Option<H>>,
    remaining: usize,
    finished: Receiver<usize>,
}

impl<H: Joinable> Iterator for AsCompleted<H> {
    type Item = Result<H::Value, ThreadError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.remaining == 0 {
            return None;
        }
        let index = match self.finished.try_recv() {
            Ok(index) => index,
            Err(_) => {
                let waiting_for = self.handles.iter().flatten().next()?.thread_path();
                let _blocked = joining(waiting_for.into()).enter();
                self.finished.recv().ok()?
            }
        };
        self.remaining -= 1;
        let handle = self.handles[index].take()?;
        Some(handle.join_thread())
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl<H: Joinable> ExactSizeIterator for AsCompleted<H> {}

impl<H: Joinable> fmt::Debug for AsCompleted<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.handles.iter().flatten().map(Joinable::thread_path))
            .finish()
    }
}
