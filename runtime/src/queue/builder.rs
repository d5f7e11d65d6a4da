//! [`QueueBuilder`]: how a [`Queue`] is made, with its rarer options.

use super::channel::{Inner, Queue};
use super::gate::Gate;
use super::unique::{Waiting, WaitingSet};
use crate::observed::QUEUES;
use crate::sync::Arc;
use std::borrow::Cow;
use std::fmt;
use std::hash::Hash;
use std::time::Duration;

/// How a [`Queue`] is made: its bound, whether it refuses an item equal to
/// one already waiting, and how long an adder waits on a full queue before
/// the log hears of it. Made by [`Queue::builder`].
///
/// ```
/// use more_threads::Queue;
/// use std::time::Duration;
///
/// let urls: Queue<String> = Queue::builder("urls")
///     .bounded(10_000)
///     .unique() // a URL already waiting is not added again
///     .warn_when_full(Some(Duration::from_secs(30)))
///     .build();
/// urls.add("https://example.com".to_owned())?;
/// let again = urls.add("https://example.com".to_owned()).unwrap_err();
/// assert!(again.is_duplicate());
/// assert_eq!(urls.len(), 1);
/// # Ok::<(), more_threads::queue::AddError<String>>(())
/// ```
#[must_use = "a builder makes nothing until build()"]
pub struct QueueBuilder<T> {
    name: Cow<'static, str>,
    bound: Option<usize>,
    waiting: Option<Box<dyn Waiting<T>>>,
    full_warning: Option<Duration>,
}

/// How long an adder waits on a full queue before the log hears of it,
/// unless the builder says otherwise.
const FULL_WARNING: Duration = Duration::from_secs(10);

impl<T> QueueBuilder<T> {
    /// A builder with the defaults: unbounded, not unique, a warning after
    /// [`FULL_WARNING`].
    pub(super) fn new(name: Cow<'static, str>) -> QueueBuilder<T> {
        QueueBuilder {
            name,
            bound: None,
            waiting: None,
            full_warning: Some(FULL_WARNING),
        }
    }
}

impl<T> QueueBuilder<T> {
    /// At most `max` items in the queue: adds wait while it is full (`0`:
    /// a rendezvous, as [`Queue::bounded`] says).
    ///
    /// ```
    /// let queue = more_threads::Queue::<u8>::builder("b").bounded(8).build();
    /// assert_eq!(queue.capacity(), Some(8));
    /// ```
    pub fn bounded(mut self, max: usize) -> QueueBuilder<T> {
        self.bound = Some(max);
        self
    }

    /// How long an adder may wait on a full queue before a warning names
    /// the queue and the thread that waits (through `log`, once per wait;
    /// 10 s unless set); `None` for no warning.
    ///
    /// ```
    /// let quiet = more_threads::Queue::<u8>::builder("q").bounded(1).warn_when_full(None).build();
    /// ```
    pub fn warn_when_full(mut self, after: Option<Duration>) -> QueueBuilder<T> {
        self.full_warning = after;
        self
    }
}

impl<T: Send + 'static> QueueBuilder<T> {
    /// Makes the queue.
    ///
    /// Items are `Send + 'static`: the queue registers with the live
    /// [console](crate::console), which lists it (its name, length and
    /// blocked threads) from any thread, for as long as it lives.
    ///
    /// ```
    /// let queue = more_threads::Queue::<u8>::builder("q").build();
    /// assert_eq!(queue.capacity(), None);
    /// ```
    pub fn build(self) -> Queue<T> {
        let (sender, receiver) = match self.bound {
            Some(max) => crossbeam_channel::bounded(max),
            None => crossbeam_channel::unbounded(),
        };
        let name: Arc<str> = self.name.into();
        let gate = Gate::new(&name, sender);
        let inner = Arc::new(Inner {
            capacity: self.bound,
            receiver,
            closed: gate.closed.receiver(),
            gate,
            name,
            empty: Arc::default(),
            waiting: self.waiting,
            full_warning: self.full_warning,
        });
        // Once, here: its adds and pops do nothing for the console (see
        // `observed` for why every queue registers, console or not).
        QUEUES.register(Arc::<Inner<T>>::downgrade(&inner));
        Queue { inner }
    }
}

impl<T: Hash + Eq + Clone + Send + 'static> QueueBuilder<T> {
    /// An item equal to one already waiting in the queue (added, not yet
    /// popped) is not added again (mo-threads' `unique`):
    /// [`add`](Queue::add) gives it back in [`AddError::Duplicate`](super::AddError::Duplicate), so the
    /// caller can tell added from left out
    /// ([`AddError::ignore_duplicate`](super::AddError::ignore_duplicate) when it need not), and
    /// [`extend`](Queue::extend) leaves it out of the batch. Costs a lock
    /// and a hash on every add and pop of this queue, and a clone of each
    /// item.
    ///
    /// ```
    /// let queue = more_threads::Queue::builder("ids").unique().build();
    /// queue.extend([7, 8, 7])?;
    /// assert!(queue.add(8).unwrap_err().is_duplicate());
    /// assert_eq!(queue.pop_all(), vec![7, 8]);
    /// queue.add(7).unwrap(); // popped: no longer waiting, so added again
    /// assert_eq!(queue.len(), 1);
    /// # Ok::<(), more_threads::queue::ExtendError<u32>>(())
    /// ```
    pub fn unique(mut self) -> QueueBuilder<T> {
        self.waiting = Some(Box::new(WaitingSet::new()));
        self
    }
}

impl<T> fmt::Debug for QueueBuilder<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QueueBuilder")
            .field("name", &self.name)
            .field("bound", &self.bound)
            .field("unique", &self.waiting.is_some())
            .field("full_warning", &self.full_warning)
            .finish()
    }
}
