//! Why an add or a pop did not happen: [`AddError`] gives the item back,
//! [`PopError`] says whether to stop or to try again.

use std::error::Error;
use std::fmt;

/// Why [`Queue::add`](super::Queue::add) or
/// [`Queue::add_till`](super::Queue::add_till) did not add the item; the
/// item is inside, never dropped.
///
/// [`add`](super::Queue::add) only ever fails with `Closed`;
/// [`add_till`](super::Queue::add_till) also with `TillWent`.
///
/// ```
/// use more_threads::queue::{AddError, Queue};
///
/// let jobs = Queue::new("jobs");
/// jobs.close();
/// let error = jobs.add("late job").unwrap_err();
/// assert!(matches!(error, AddError::Closed(_)));
/// assert_eq!(error.to_string(), "the queue is closed: the item was not added");
/// assert_eq!(error.into_inner(), "late job");
/// ```
#[derive(PartialEq, Eq, Clone, Copy)]
pub enum AddError<T> {
    /// The queue was closed before the item could be added.
    Closed(T),
    /// The queue stayed full until the till went.
    TillWent(T),
}

impl<T> AddError<T> {
    /// The item that was not added.
    ///
    /// ```
    /// use more_threads::queue::AddError;
    ///
    /// assert_eq!(AddError::TillWent(7).into_inner(), 7);
    /// ```
    pub fn into_inner(self) -> T {
        match self {
            AddError::Closed(item) | AddError::TillWent(item) => item,
        }
    }

    /// The item that was not added, borrowed.
    ///
    /// ```
    /// use more_threads::queue::AddError;
    ///
    /// assert_eq!(AddError::Closed("job").item(), &"job");
    /// ```
    pub fn item(&self) -> &T {
        match self {
            AddError::Closed(item) | AddError::TillWent(item) => item,
        }
    }

    /// Whether the add failed because the queue is closed (for good), rather
    /// than because the till went (try again later).
    ///
    /// ```
    /// use more_threads::queue::AddError;
    ///
    /// assert!(AddError::Closed(()).is_closed());
    /// assert!(!AddError::TillWent(()).is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        matches!(self, AddError::Closed(_))
    }
}

impl<T> fmt::Debug for AddError<T> {
    /// The variant, without the item (which need not be `Debug`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AddError::Closed(_) => f.write_str("Closed(..)"),
            AddError::TillWent(_) => f.write_str("TillWent(..)"),
        }
    }
}

impl<T> fmt::Display for AddError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AddError::Closed(_) => f.write_str("the queue is closed: the item was not added"),
            AddError::TillWent(_) => {
                f.write_str("the queue stayed full until the till went: the item was not added")
            }
        }
    }
}

impl<T> Error for AddError<T> {}

/// Why [`Queue::pop`](super::Queue::pop) returned no item.
///
/// ```
/// use more_threads::queue::{PopError, Queue};
/// use more_threads::Till;
///
/// let jobs = Queue::<u32>::new("jobs");
/// assert_eq!(jobs.pop(&Till::seconds(0.001)), Err(PopError::TillWent));
/// jobs.close();
/// assert_eq!(jobs.pop(&Till::seconds(60.0)), Err(PopError::Closed));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PopError {
    /// The queue is closed and every item has been popped: no item will
    /// ever come. Stop popping.
    Closed,
    /// The till went while the queue was empty (and not yet closed and
    /// drained). An item may still come.
    TillWent,
}

impl fmt::Display for PopError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PopError::Closed => f.write_str("the queue is closed and drained"),
            PopError::TillWent => f.write_str("the till went before an item came"),
        }
    }
}

impl Error for PopError {}
