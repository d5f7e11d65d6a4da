//! Why an add or a pop did not happen: [`AddError`] gives the item back,
//! [`PopError`] says whether to stop or to try again.

use std::error::Error;
use std::fmt;

/// Why [`Queue::add`](super::Queue::add) or
/// [`Queue::add_till`](super::Queue::add_till) did not add the item; the
/// item is inside, never dropped.
///
/// [`add`](super::Queue::add) fails with `Closed`, or with `Stopped` when
/// its thread was asked to stop while the queue was full;
/// [`add_till`](super::Queue::add_till) with `Closed` or `TillWent`; either,
/// on a [`unique`](super::QueueBuilder::unique) queue, with `Duplicate`.
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
#[non_exhaustive]
pub enum AddError<T> {
    /// The queue was closed before the item could be added.
    Closed(T),
    /// The queue stayed full until the till went.
    TillWent(T),
    /// The queue stayed full until the calling thread was asked to stop
    /// (its `please_stop` went): an add given no Signal gives up on that
    /// one, so that a thread blocked on a full queue whose consumers have
    /// stopped still ends when asked.
    Stopped(T),
    /// The queue is [`unique`](super::QueueBuilder::unique) and an equal
    /// item is waiting in it: this one was not added.
    Duplicate(T),
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
            AddError::Closed(item)
            | AddError::TillWent(item)
            | AddError::Stopped(item)
            | AddError::Duplicate(item) => item,
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
            AddError::Closed(item)
            | AddError::TillWent(item)
            | AddError::Stopped(item)
            | AddError::Duplicate(item) => item,
        }
    }

    /// Whether the add gave up because the calling thread was asked to stop.
    ///
    /// ```
    /// use more_threads::queue::AddError;
    ///
    /// assert!(AddError::Stopped(()).is_stopped());
    /// assert!(!AddError::Closed(()).is_stopped());
    /// ```
    pub fn is_stopped(&self) -> bool {
        matches!(self, AddError::Stopped(_))
    }

    /// The same reason, with `item` in place of the one inside.
    pub(crate) fn with<U>(&self, item: U) -> AddError<U> {
        match self {
            AddError::Closed(_) => AddError::Closed(item),
            AddError::TillWent(_) => AddError::TillWent(item),
            AddError::Stopped(_) => AddError::Stopped(item),
            AddError::Duplicate(_) => AddError::Duplicate(item),
        }
    }

    /// Why, without the item.
    fn reason(&self) -> &'static str {
        match self {
            AddError::Closed(_) => "the queue is closed",
            AddError::TillWent(_) => "the queue stayed full until the till went",
            AddError::Stopped(_) => "the queue stayed full until this thread was asked to stop",
            AddError::Duplicate(_) => "an equal item is waiting in this unique queue",
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

    /// Whether the item was left out because an equal one is waiting in the
    /// [`unique`](super::QueueBuilder::unique) queue.
    ///
    /// ```
    /// use more_threads::queue::AddError;
    ///
    /// assert!(AddError::Duplicate(7).is_duplicate());
    /// assert!(!AddError::Closed(7).is_duplicate());
    /// ```
    pub fn is_duplicate(&self) -> bool {
        matches!(self, AddError::Duplicate(_))
    }

    /// `Ok(())` for a [`Duplicate`](AddError::Duplicate), this error
    /// otherwise: for adds to a unique queue that mean "added, or already
    /// waiting", `queue.add(item).or_else(AddError::ignore_duplicate)?`.
    ///
    /// # Errors
    ///
    /// `self`, unless it is a `Duplicate`.
    ///
    /// ```
    /// use more_threads::{Queue, queue::AddError};
    ///
    /// let urls = Queue::builder("urls").unique().build();
    /// for url in ["a", "b", "a"] {
    ///     urls.add(url).or_else(AddError::ignore_duplicate)?;
    /// }
    /// assert_eq!(urls.pop_all(), ["a", "b"]);
    /// # Ok::<(), AddError<&str>>(())
    /// ```
    pub fn ignore_duplicate(self) -> Result<(), AddError<T>> {
        match self {
            AddError::Duplicate(_) => Ok(()),
            error => Err(error),
        }
    }
}

impl<T> fmt::Debug for AddError<T> {
    /// The variant, without the item (which need not be `Debug`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AddError::Closed(_) => f.write_str("Closed(..)"),
            AddError::TillWent(_) => f.write_str("TillWent(..)"),
            AddError::Stopped(_) => f.write_str("Stopped(..)"),
            AddError::Duplicate(_) => f.write_str("Duplicate(..)"),
        }
    }
}

impl<T> fmt::Display for AddError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: the item was not added", self.reason())
    }
}

impl<T> Error for AddError<T> {
    /// For [`Stopped`](AddError::Stopped), a
    /// [`signal::Stopped`](crate::signal::Stopped): a worker that returns
    /// it with `?` ends quietly, as after `please_stop.check()?`.
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            AddError::Stopped(_) => Some(crate::signal::Stopped::own_please_stop()),
            _ => None,
        }
    }
}

/// Why [`Queue::extend`](super::Queue::extend) or
/// [`Queue::extend_till`](super::Queue::extend_till) did not add every item:
/// the reason, the items not added (in order, never dropped), and how many
/// were added before it gave up.
///
/// ```
/// use more_threads::{Queue, Till};
///
/// let queue = Queue::bounded("q", 3);
/// let error = queue.extend_till(1..=10, &Till::seconds(0.01)).unwrap_err();
/// assert_eq!(error.added(), 3);
/// assert_eq!(
///     error.to_string(),
///     "the queue stayed full until the till went: 3 of the 10 items were added, 7 were not"
/// );
/// assert_eq!(error.into_inner(), (4..=10).collect::<Vec<_>>());
/// ```
#[derive(PartialEq, Eq, Clone)]
pub struct ExtendError<T> {
    reason: AddError<Vec<T>>,
    added: usize,
}

impl<T> ExtendError<T> {
    pub(crate) fn new(reason: AddError<Vec<T>>, added: usize) -> ExtendError<T> {
        ExtendError { reason, added }
    }

    /// The reason, with the items not added inside.
    ///
    /// ```
    /// use more_threads::queue::{AddError, Queue};
    ///
    /// let queue = Queue::new("q");
    /// queue.close();
    /// let error = queue.extend([1, 2]).unwrap_err();
    /// assert_eq!(error.reason(), &AddError::Closed(vec![1, 2]));
    /// ```
    pub fn reason(&self) -> &AddError<Vec<T>> {
        &self.reason
    }

    /// How many items were added before it gave up (0 when the queue was
    /// closed: an extend is all or nothing against a close).
    ///
    /// ```
    /// let queue = more_threads::Queue::new("q");
    /// queue.close();
    /// assert_eq!(queue.extend([1, 2]).unwrap_err().added(), 0);
    /// ```
    pub fn added(&self) -> usize {
        self.added
    }

    /// The items not added, in order.
    ///
    /// ```
    /// let queue = more_threads::Queue::new("q");
    /// queue.close();
    /// assert_eq!(queue.extend([1, 2]).unwrap_err().into_inner(), vec![1, 2]);
    /// ```
    pub fn into_inner(self) -> Vec<T> {
        self.reason.into_inner()
    }

    /// Whether it gave up because the queue is closed (for good).
    ///
    /// ```
    /// let queue = more_threads::Queue::new("q");
    /// queue.close();
    /// assert!(queue.extend([1]).unwrap_err().is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        self.reason.is_closed()
    }
}

impl<T> fmt::Debug for ExtendError<T> {
    /// The reason and the counts, without the items (which need not be `Debug`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExtendError")
            .field("reason", &self.reason)
            .field("added", &self.added)
            .field("not_added", &self.reason.item().len())
            .finish()
    }
}

impl<T> fmt::Display for ExtendError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let not_added = self.reason.item().len();
        let all = self.added + not_added;
        let reason = self.reason.reason();
        match (self.added, not_added) {
            (0, 1) => write!(f, "{reason}: the item was not added"),
            (0, _) => write!(f, "{reason}: none of the {all} items was added"),
            (added, _) => write!(
                f,
                "{reason}: {added} of the {all} items {} added, {not_added} {} not",
                if added == 1 { "was" } else { "were" },
                if not_added == 1 { "was" } else { "were" },
            ),
        }
    }
}

impl<T> Error for ExtendError<T> {}

/// Why [`Queue::pop`](super::Queue::pop) or
/// [`Queue::pop_till`](super::Queue::pop_till) returned no item.
///
/// ```
/// use more_threads::queue::{PopError, Queue};
/// use more_threads::Till;
///
/// let jobs = Queue::<u32>::new("jobs");
/// assert_eq!(jobs.pop_till(&Till::seconds(0.001)), Err(PopError::TillWent));
/// jobs.close();
/// assert_eq!(jobs.pop_till(&Till::seconds(60.0)), Err(PopError::Closed));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PopError {
    /// The queue is closed and every item has been popped: no item will
    /// ever come. Stop popping.
    Closed,
    /// The till went while the queue was empty (and not yet closed and
    /// drained). An item may still come.
    TillWent,
    /// The calling thread was asked to stop (its `please_stop` went) while
    /// the queue was empty: a [`pop`](super::Queue::pop) given no Signal
    /// gives up on that one. An item may still come, for another thread.
    Stopped,
}

impl fmt::Display for PopError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PopError::Closed => f.write_str("the queue is closed and drained"),
            PopError::TillWent => f.write_str("the till went before an item came"),
            PopError::Stopped => f.write_str("this thread was asked to stop before an item came"),
        }
    }
}

impl Error for PopError {
    /// For [`Stopped`](PopError::Stopped), a
    /// [`signal::Stopped`](crate::signal::Stopped): a worker that returns
    /// it with `?` (`let job = jobs.pop()?;`) ends quietly, as after
    /// `please_stop.check()?`.
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            PopError::Stopped => Some(crate::signal::Stopped::own_please_stop()),
            _ => None,
        }
    }
}
