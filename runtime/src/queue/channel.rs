//! [`Queue`]: crossbeam-channel behind a close gate; the guarantees are on
//! the [`queue`](crate::queue) module.

use super::builder::QueueBuilder;
use super::error::{AddError, ExtendError, PopError};
use super::full_warning;
use super::gate::{Gate, Now, pop_now};
use super::iter::Iter;
use super::unique::Waiting;
use crate::backoff::Backoff;
use crate::local::blocked::{Blocked, QueueSide};
use crate::observed::{ObservedQueue, QueueFigures};
use crate::signal::Signal;
use crate::signal::wait::{sleep_until, with_receiver};
use crate::sync::{Arc, Condvar, Mutex};
use crate::thread::current::own_please_stop;
use crossbeam_channel::{Receiver, Select, Sender, TryRecvError, TrySendError};
use std::borrow::Cow;
use std::fmt;
use std::time::Duration;
// Not through the `sync` shim: these pair with crossbeam-channel's own
// atomics, which loom cannot see, so there is nothing for loom to model here.
use crate::sync::real::{AtomicUsize, Ordering};

/// A named, multi-producer multi-consumer queue that can be closed without
/// losing an item.
///
/// Clones share the queue. See the [module documentation](crate::queue) for
/// what is guaranteed.
///
/// ```
/// use more_threads::{Queue, Till};
///
/// let jobs = Queue::bounded("jobs", 2);
/// jobs.add(1)?;
/// jobs.add(2)?;
/// assert_eq!(jobs.len(), 2);
/// assert_eq!(jobs.pop_till(&Till::seconds(1.0)), Ok(1));
/// assert_eq!(jobs.pop_one(), Some(2));
/// # Ok::<(), more_threads::queue::AddError<u32>>(())
/// ```
pub struct Queue<T> {
    pub(super) inner: Arc<Inner<T>>,
}

pub(super) struct Inner<T> {
    pub(super) name: Arc<str>,
    pub(super) capacity: Option<usize>,
    pub(super) receiver: Receiver<T>,
    /// The gate, which keeps the channel's one sender: an adder reaches it
    /// through a pass, and the seal drops it, which disconnects the channel
    /// so that blocked poppers wake inside crossbeam and see the end.
    pub(super) gate: Gate<Sender<T>>,
    /// Disconnected once the gate closes: wakes adders blocked on a full queue.
    pub(super) closed: Receiver<()>,
    pub(super) empty: Arc<EmptyWaiters>,
    /// For a unique queue: the items waiting, to refuse an equal one.
    pub(super) waiting: Option<Box<dyn Waiting<T>>>,
    /// How long an adder waits on a full queue before it says so.
    pub(super) full_warning: Option<Duration>,
}

impl<T: Send> ObservedQueue for Inner<T> {
    /// Read by the console when it samples; the queue's adds and pops do
    /// nothing for it. Who waits at which end is counted from the threads'
    /// blocked slots, by the name's `Arc`.
    fn figures(&self) -> QueueFigures {
        QueueFigures {
            name: self.name.clone(),
            len: self.receiver.len(),
            capacity: self.capacity,
            closed: self.gate.is_closed(),
        }
    }
}

/// The threads in [`Queue::wait_empty`], and how a pop wakes them.
#[derive(Default)]
pub(super) struct EmptyWaiters {
    /// How many are waiting: pops look (after a fence) and skip the lock when 0.
    count: AtomicUsize,
    lock: Mutex<()>,
    woken: Condvar,
}

impl<T: Send + 'static> Queue<T> {
    /// A queue without a bound: [`add`](Queue::add) never blocks.
    ///
    /// The name appears in its `Debug` and in thread dumps of threads blocked on it.
    ///
    /// ```
    /// let files = more_threads::Queue::<std::path::PathBuf>::new("files");
    /// assert_eq!(files.name(), "files");
    /// assert_eq!(files.capacity(), None);
    /// ```
    pub fn new(name: impl Into<Cow<'static, str>>) -> Queue<T> {
        Queue::builder(name).build()
    }

    /// A queue that holds at most `max` items: [`add`](Queue::add) blocks
    /// while it is full.
    ///
    /// `max == 0` makes a rendezvous queue: it holds nothing, and each add
    /// waits until a popper takes the item from its hands (crossbeam's
    /// zero-capacity channel). [`pop_one`](Queue::pop_one) then only finds an
    /// item while an adder is waiting, and [`len`](Queue::len) is always 0.
    ///
    /// ```
    /// use more_threads::{Queue, Till};
    ///
    /// let slots = Queue::bounded("slots", 1);
    /// slots.add('a')?;
    /// let full = slots.add_till('b', &Till::seconds(0.01)).unwrap_err();
    /// assert_eq!(full.into_inner(), 'b', "given back when the till went");
    /// # Ok::<(), more_threads::queue::AddError<char>>(())
    /// ```
    pub fn bounded(name: impl Into<Cow<'static, str>>, max: usize) -> Queue<T> {
        Queue::builder(name).bounded(max).build()
    }
}

impl<T> Queue<T> {
    /// A builder for the rarer options: [`unique`](QueueBuilder::unique),
    /// and the full-queue warning.
    ///
    /// ```
    /// let queue = more_threads::Queue::<u32>::builder("jobs").bounded(100).build();
    /// assert_eq!(queue.capacity(), Some(100));
    /// ```
    pub fn builder(name: impl Into<Cow<'static, str>>) -> QueueBuilder<T> {
        QueueBuilder::new(name.into())
    }

    /// The name given at creation.
    ///
    /// ```
    /// assert_eq!(more_threads::Queue::<u8>::new("bytes").name(), "bytes");
    /// ```
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// The bound given to [`Queue::bounded`]; `None` when unbounded.
    ///
    /// ```
    /// assert_eq!(more_threads::Queue::<u8>::bounded("b", 8).capacity(), Some(8));
    /// ```
    pub fn capacity(&self) -> Option<usize> {
        self.inner.capacity
    }

    /// Adds `item` at the back, blocking while the queue is full, but not
    /// after the calling thread is asked to stop (its `please_stop`: a
    /// producer blocked on a queue whose consumers have stopped still ends
    /// when asked). To wait on another Signal instead, or on none
    /// ([`Signal::never`]), use [`add_till`](Queue::add_till).
    ///
    /// # Errors
    ///
    /// [`AddError::Closed`] with the item, if the queue is closed before the
    /// item is in (including while this call was blocked on a full queue);
    /// [`AddError::Stopped`] with the item, if the calling thread was asked
    /// to stop while the queue was full.
    ///
    /// ```
    /// let queue = more_threads::Queue::new("q");
    /// queue.add(1)?;
    /// queue.close();
    /// assert_eq!(queue.add(2).unwrap_err().into_inner(), 2);
    /// assert_eq!(queue.pop_one(), Some(1), "added before the close: still popped");
    /// # Ok::<(), more_threads::queue::AddError<u32>>(())
    /// ```
    #[inline]
    pub fn add(&self, item: T) -> Result<(), AddError<T>> {
        self.add_inner(item, None)
    }

    /// Adds `item` at the back, blocking while the queue is full, but not
    /// after `till` goes.
    ///
    /// If the queue has room the item is added even if `till` has already
    /// gone: the till only limits waiting. Only `till` does: the calling
    /// thread's `please_stop` is not heard unless it is `till` (or part of
    /// it, `&(please_stop | Till::seconds(1.0))`).
    ///
    /// # Errors
    ///
    /// [`AddError::Closed`] if the queue is closed first,
    /// [`AddError::TillWent`] if `till` went while it was full; both with the item.
    ///
    /// ```
    /// use more_threads::{Queue, Signal};
    ///
    /// let queue = Queue::bounded("q", 1);
    /// let please_stop = Signal::new();
    /// queue.add_till("first", &please_stop)?;
    /// please_stop.go();
    /// let error = queue.add_till("second", &please_stop).unwrap_err();
    /// assert!(!error.is_closed());
    /// # Ok::<(), more_threads::queue::AddError<&str>>(())
    /// ```
    #[inline]
    pub fn add_till(&self, item: T, till: &Signal) -> Result<(), AddError<T>> {
        self.add_inner(item, Some(till))
    }

    #[inline]
    fn add_inner(&self, item: T, till: Option<&Signal>) -> Result<(), AddError<T>> {
        let inner = &*self.inner;
        if let Some(waiting) = &inner.waiting {
            if !waiting.admit(&item) {
                return Err(AddError::Duplicate(item));
            }
        }
        let added = match inner.gate.enter() {
            None => Err(AddError::Closed(item)),
            Some(pass) => pass.with(|sender| match sender.try_send(item) {
                Ok(()) => Ok(()),
                Err(TrySendError::Full(item)) => {
                    let own = till.is_none().then(own_please_stop).flatten();
                    self.add_blocking(sender, item, GiveUp::of(till, own.as_ref()), true)
                }
                // We hold a pass: the sender is not dropped, nor the receiver.
                Err(TrySendError::Disconnected(item)) => Err(AddError::Closed(item)),
            }),
        };
        if let (Err(refused), Some(waiting)) = (&added, &inner.waiting) {
            waiting.gone(refused.item());
        }
        added
    }

    /// Adds every item of `items`, in order, or none: all or nothing against
    /// [`close`](Queue::close). A close that comes before it has added any
    /// item makes it give them all back, as [`add`](Queue::add) gives its
    /// one back; a close that comes once it has added some waits for the
    /// rest (the queue is sealed only after), so that no batch is cut by a
    /// close.
    ///
    /// The items are added one by one: others' adds may fall between them.
    /// On a bounded queue it waits for room, item by item, until the
    /// calling thread is asked to stop (its `please_stop`, as `add`);
    /// [`extend_till`](Queue::extend_till) gives up on its till instead. On
    /// a unique queue, each item equal to one waiting is left out.
    ///
    /// # Errors
    ///
    /// [`ExtendError`] with every item not added: the queue was closed
    /// (none was added), or the calling thread was asked to stop while the
    /// queue was full (it says how many were added before).
    ///
    /// ```
    /// let queue = more_threads::Queue::new("q");
    /// queue.extend([1, 2, 3])?;
    /// assert_eq!(queue.pop_all(), vec![1, 2, 3]);
    /// queue.close();
    /// assert_eq!(queue.extend([4, 5]).unwrap_err().into_inner(), vec![4, 5]);
    /// # Ok::<(), more_threads::queue::ExtendError<u32>>(())
    /// ```
    pub fn extend(&self, items: impl IntoIterator<Item = T>) -> Result<(), ExtendError<T>> {
        self.extend_inner(items.into_iter().collect(), None)
    }

    /// Like [`extend`](Queue::extend), but waits for room no longer than
    /// `till`: then the items not yet added come back in the error, which
    /// says how many were added (those stay in the queue).
    ///
    /// # Errors
    ///
    /// [`ExtendError`] with every item not added: the queue was closed
    /// (none was added), or `till` went while the queue was full.
    ///
    /// ```
    /// use more_threads::{Queue, Till};
    ///
    /// let queue = Queue::bounded("q", 2);
    /// let rest = queue.extend_till([1, 2, 3, 4], &Till::seconds(0.01)).unwrap_err();
    /// assert_eq!(rest.added(), 2);
    /// assert_eq!(rest.into_inner(), vec![3, 4], "two fit, two came back");
    /// ```
    pub fn extend_till(
        &self,
        items: impl IntoIterator<Item = T>,
        till: &Signal,
    ) -> Result<(), ExtendError<T>> {
        self.extend_inner(items.into_iter().collect(), Some(till))
    }

    fn extend_inner(&self, items: Vec<T>, till: Option<&Signal>) -> Result<(), ExtendError<T>> {
        let inner = &*self.inner;
        let Some(pass) = inner.gate.enter() else {
            return Err(ExtendError::new(AddError::Closed(items), 0));
        };
        let own = till.is_none().then(own_please_stop).flatten();
        let give_up = GiveUp::of(till, own.as_ref());
        pass.with(|sender| {
            let mut added = 0;
            let mut items = items.into_iter();
            while let Some(item) = items.next() {
                if let Some(waiting) = &inner.waiting {
                    if !waiting.admit(&item) {
                        continue;
                    }
                }
                let sent = match sender.try_send(item) {
                    Ok(()) => Ok(()),
                    // A close stops it only before its first item is in:
                    // after, the rest is added (the batch is not cut).
                    Err(TrySendError::Full(item)) => {
                        self.add_blocking(sender, item, give_up, added == 0)
                    }
                    Err(TrySendError::Disconnected(item)) => Err(AddError::Closed(item)),
                };
                match sent {
                    Ok(()) => added += 1,
                    Err(refused) => {
                        if let Some(waiting) = &inner.waiting {
                            waiting.gone(refused.item());
                        }
                        let reason = refused.with(());
                        let mut rest = vec![refused.into_inner()];
                        rest.extend(items);
                        return Err(ExtendError::new(reason.with(rest), added));
                    }
                }
            }
            Ok(())
        })
    }

    /// The full-queue path of an add, inside the gate: a short spin, as
    /// crossbeam's own `send` does (room often comes within microseconds),
    /// then sleep until there is room, the queue closes, or `till` goes.
    #[cold]
    #[inline(never)]
    fn add_blocking(
        &self,
        sender: &Sender<T>,
        mut item: T,
        give_up: GiveUp<'_>,
        give_up_at_close: bool,
    ) -> Result<(), AddError<T>> {
        let inner = &*self.inner;
        let mut backoff = Backoff::default();
        let till = give_up.signal();
        loop {
            if till.is_some_and(Signal::is_go) {
                return Err(give_up.error(item));
            }
            if give_up_at_close && inner.gate.is_closed() {
                return Err(AddError::Closed(item));
            }
            if !backoff.snooze() {
                break;
            }
            match sender.try_send(item) {
                Ok(()) => return Ok(()),
                Err(TrySendError::Full(back) | TrySendError::Disconnected(back)) => item = back,
            }
        }
        match till {
            Some(till) => with_receiver(till, |till_went| {
                self.send_blocking(sender, item, Some((till_went, give_up)), give_up_at_close)
            }),
            None => self.send_blocking(sender, item, None, give_up_at_close),
        }
    }

    /// Sleeps until there is room, the queue closes (if `give_up_at_close`),
    /// or `till_went` is ready.
    fn send_blocking(
        &self,
        sender: &Sender<T>,
        item: T,
        till_went: Option<(&Receiver<()>, GiveUp<'_>)>,
        give_up_at_close: bool,
    ) -> Result<(), AddError<T>> {
        let inner = &*self.inner;
        let _blocked = Blocked::Queue(inner.name.clone(), QueueSide::Add).enter();
        let mut select = Select::new();
        let send = select.send(sender);
        let never_closed = crossbeam_channel::never();
        let closed = select.recv(if give_up_at_close {
            &inner.closed
        } else {
            &never_closed
        });
        if let Some((till_went, _)) = till_went {
            select.recv(till_went);
        }
        let operation = full_warning::select(&mut select, &inner.name, inner.full_warning);
        let index = operation.index();
        if index == send {
            operation
                .send(sender, item)
                .map_err(|error| AddError::Closed(error.into_inner()))
        } else if index == closed {
            let _ = operation.recv(&inner.closed);
            Err(AddError::Closed(item))
        } else {
            match till_went {
                Some((till_went, give_up)) => {
                    let _ = operation.recv(till_went);
                    Err(give_up.error(item))
                }
                None => unreachable!("only the till's operation is left"),
            }
        }
    }

    /// Takes the item at the front, waiting for one until `till` goes.
    ///
    /// If an item is there it is returned even if `till` has already gone.
    ///
    /// # Errors
    ///
    /// [`PopError::Closed`] once the queue is closed and every item popped;
    /// [`PopError::TillWent`] if `till` went while the queue was empty.
    ///
    /// ```
    /// use more_threads::{Queue, Thread, Till};
    /// use more_threads::queue::PopError;
    ///
    /// let replies = Queue::new("replies");
    /// let replier = {
    ///     let replies = replies.clone();
    ///     Thread::run("replier", move |_| replies.add("pong"))?
    /// };
    /// assert_eq!(replies.pop_till(&Till::seconds(10.0)), Ok("pong"));
    /// replier.join()?;
    /// assert_eq!(replies.pop_till(&Till::seconds(0.001)), Err(PopError::TillWent));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn pop_till(&self, till: &Signal) -> Result<T, PopError> {
        match self.pop_now() {
            Now::Item(item) => Ok(item),
            Now::Drained => Err(PopError::Closed),
            Now::Empty => self.pop_slow(till),
        }
    }

    /// Takes the item at the front, waiting for one, but not after the
    /// calling thread is asked to stop (its `please_stop`, as
    /// [`add`](Queue::add) hears it). To wait on another Signal instead, or
    /// on none ([`Signal::never`]), use [`pop_till`](Queue::pop_till).
    ///
    /// # Errors
    ///
    /// [`PopError::Closed`] once the queue is closed and every item popped;
    /// [`PopError::Stopped`] if the calling thread was asked to stop while
    /// the queue was empty.
    ///
    /// ```
    /// use more_threads::{Queue, Thread, queue::PopError};
    ///
    /// let jobs = Queue::new("jobs");
    /// let worker = {
    ///     let jobs = jobs.clone();
    ///     Thread::run("worker", move |_| Some(jobs.pop()))?
    /// };
    /// jobs.add(7)?;
    /// assert_eq!(worker.join()?, Some(Ok(7)));
    ///
    /// let idle = {
    ///     let jobs = jobs.clone();
    ///     Thread::run("idle", move |_| Some(jobs.pop()))?
    /// };
    /// idle.stop(); // its please_stop: the pop gives up
    /// assert_eq!(idle.join()?, Some(Err::<u32, _>(PopError::Stopped)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn pop(&self) -> Result<T, PopError> {
        match self.pop_now() {
            Now::Item(item) => Ok(item),
            Now::Drained => Err(PopError::Closed),
            Now::Empty => match own_please_stop() {
                Some(please_stop) => self.pop_slow(&please_stop).map_err(|error| match error {
                    PopError::TillWent => PopError::Stopped,
                    error => error,
                }),
                None => self.pop_slow(&Signal::never()),
            },
        }
    }

    /// The empty-queue path of [`pop`](Queue::pop): a short spin (an item
    /// often arrives within microseconds), then sleep until woken.
    #[cold]
    #[inline(never)]
    fn pop_slow(&self, till: &Signal) -> Result<T, PopError> {
        match self.pop_spinning(till) {
            Some(popped) => popped,
            // Nothing to give up on: crossbeam's own blocking receive, which
            // the seal ends by disconnecting the channel.
            None if till.is_never() => self.pop_forever(),
            None => with_receiver(till, |till_went| self.pop_blocking(till_went)),
        }
    }

    /// Waits for an item until the queue is closed and drained.
    fn pop_forever(&self) -> Result<T, PopError> {
        let inner = &*self.inner;
        let _blocked = Blocked::Queue(inner.name.clone(), QueueSide::Pop).enter();
        match inner.receiver.recv() {
            Ok(item) => {
                self.took(&item);
                Ok(item)
            }
            Err(_) => Err(PopError::Closed),
        }
    }

    /// Looks again a few times while backing off; `None` if it is time to sleep.
    pub(super) fn pop_spinning(&self, till: &Signal) -> Option<Result<T, PopError>> {
        let mut backoff = Backoff::default();
        loop {
            if till.is_go() {
                return Some(Err(PopError::TillWent));
            }
            if !backoff.snooze() {
                return None;
            }
            match self.pop_now() {
                Now::Item(item) => return Some(Ok(item)),
                Now::Drained => return Some(Err(PopError::Closed)),
                Now::Empty => {}
            }
        }
    }

    #[inline]
    pub(super) fn pop_now(&self) -> Now<T> {
        let now = pop_now(&self.inner.gate, || self.inner.receiver.try_recv());
        if let Now::Item(item) = &now {
            self.took(item);
        }
        now
    }

    /// The empty-queue path of a pop: sleeps until an item comes, the queue
    /// is sealed (the channel disconnects), or `till_went` (a receiver that
    /// disconnects when the till goes) is ready.
    #[cold]
    #[inline(never)]
    pub(super) fn pop_blocking(&self, till_went: &Receiver<()>) -> Result<T, PopError> {
        let inner = &*self.inner;
        let _blocked = Blocked::Queue(inner.name.clone(), QueueSide::Pop).enter();
        let mut select = Select::new();
        let item = select.recv(&inner.receiver);
        select.recv(till_went);
        let operation = select.select();
        if operation.index() == item {
            match operation.recv(&inner.receiver) {
                Ok(item) => {
                    self.took(&item);
                    return Ok(item);
                }
                Err(_) => return Err(PopError::Closed),
            }
        }
        let _ = operation.recv(till_went);
        // Sealed or till went: one last look decides between an item (a
        // racing add won), drained, and empty.
        match self.pop_now() {
            Now::Item(item) => Ok(item),
            Now::Drained => Err(PopError::Closed),
            Now::Empty => Err(PopError::TillWent),
        }
    }

    /// Takes the item at the front if there is one; never blocks.
    ///
    /// ```
    /// let queue = more_threads::Queue::new("q");
    /// assert_eq!(queue.pop_one(), None);
    /// queue.add("x").unwrap();
    /// assert_eq!(queue.pop_one(), Some("x"));
    /// ```
    #[inline]
    pub fn pop_one(&self) -> Option<T> {
        let item = self.inner.receiver.try_recv().ok()?;
        self.took(&item);
        Some(item)
    }

    /// Takes every item in the queue now, in order; never blocks.
    ///
    /// Takes at most as many items as the queue held when called, so it ends
    /// even while producers keep adding.
    ///
    /// ```
    /// let queue = more_threads::Queue::new("q");
    /// for n in 0..3 {
    ///     queue.add(n).unwrap();
    /// }
    /// assert_eq!(queue.pop_all(), vec![0, 1, 2]);
    /// assert!(queue.pop_all().is_empty());
    /// ```
    pub fn pop_all(&self) -> Vec<T> {
        let receiver = &self.inner.receiver;
        let mut items = Vec::with_capacity(receiver.len());
        for _ in 0..items.capacity() {
            match receiver.try_recv() {
                Ok(item) => items.push(item),
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => break,
            }
        }
        if let Some(waiting) = &self.inner.waiting {
            for item in &items {
                waiting.gone(item);
            }
        }
        if let Some(last) = items.last() {
            self.took(last);
        }
        items
    }

    /// Closes the queue: from now on adds fail (giving the item back), and
    /// adders blocked on a full queue give up. Items already added stay, to
    /// be popped. Returns `true` if this call closed it, `false` if it was
    /// already closed.
    ///
    /// ```
    /// let queue = more_threads::Queue::new("q");
    /// queue.add(1).unwrap();
    /// assert!(queue.close());
    /// assert!(!queue.close(), "closing twice is harmless");
    /// assert_eq!(queue.pop_one(), Some(1));
    /// ```
    pub fn close(&self) -> bool {
        self.inner.gate.close()
    }

    /// Whether [`close`](Queue::close) has been called. Items may remain.
    ///
    /// ```
    /// let queue = more_threads::Queue::<u8>::new("q");
    /// assert!(!queue.is_closed());
    /// queue.close();
    /// assert!(queue.is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        self.inner.gate.is_closed()
    }

    /// A Signal that goes when the queue is closed (items may remain), to
    /// wait on or to combine: `queue.closed() | please_stop`.
    ///
    /// ```
    /// let queue = more_threads::Queue::<u8>::new("q");
    /// let closed = queue.closed().clone();
    /// queue.close();
    /// assert!(closed.is_go());
    /// ```
    pub fn closed(&self) -> &Signal {
        &self.inner.gate.closed
    }

    /// How many items are in the queue now (a snapshot: others may be adding
    /// and popping).
    ///
    /// ```
    /// let queue = more_threads::Queue::new("q");
    /// queue.add(()).unwrap();
    /// assert_eq!(queue.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.inner.receiver.len()
    }

    /// Whether the queue holds no item now.
    ///
    /// ```
    /// assert!(more_threads::Queue::<u8>::new("q").is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.inner.receiver.is_empty()
    }

    /// An iterator that pops items until the queue is closed and drained, or
    /// `please_stop` goes.
    ///
    /// It checks `please_stop` before each item and ends at once when it has
    /// gone, leaving the remaining items in the queue. While it waits, the
    /// thread holds one wake-up on `please_stop`, kept for its next waits on
    /// it (see the [module documentation](crate::queue)).
    ///
    /// ```
    /// use more_threads::{Queue, Signal};
    ///
    /// let queue = Queue::new("q");
    /// for n in 1..=3 {
    ///     queue.add(n).unwrap();
    /// }
    /// queue.close();
    /// let please_stop = Signal::new();
    /// assert_eq!(queue.iter_till(&please_stop).sum::<i32>(), 6);
    /// ```
    pub fn iter_till(&self, please_stop: &Signal) -> Iter<'_, T> {
        Iter::new(self, please_stop.clone())
    }

    /// An iterator that pops items until the queue is closed and drained,
    /// or the calling thread is asked to stop (its `please_stop`, as
    /// [`pop`](Queue::pop) hears it): what a worker writes,
    /// `for job in jobs.iter() { ... }`. [`iter_till`](Queue::iter_till)
    /// ends on another Signal.
    ///
    /// ```
    /// use more_threads::{Queue, Thread};
    ///
    /// let jobs = Queue::new("jobs");
    /// let summer = {
    ///     let jobs = jobs.clone();
    ///     Thread::run("summer", move |_| jobs.iter().sum::<u32>())?
    /// };
    /// jobs.extend([1, 2, 3])?;
    /// jobs.close();
    /// assert_eq!(summer.join()?, 6);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn iter(&self) -> Iter<'_, T> {
        Iter::new(self, own_please_stop().unwrap_or_else(Signal::never))
    }

    /// Blocks until the queue is empty or `till` goes; returns whether it is
    /// empty.
    ///
    /// "Empty" is a moment: an add may follow at once. Woken by the pop that
    /// takes the last item, never by polling.
    ///
    /// ```
    /// use more_threads::{Queue, Thread, Till};
    ///
    /// let queue = Queue::new("q");
    /// queue.add(1).unwrap();
    /// assert!(!queue.wait_empty(&Till::seconds(0.001)), "nobody pops: the till went");
    /// let popper = {
    ///     let queue = queue.clone();
    ///     Thread::run("popper", move |please_stop| queue.pop_till(please_stop).is_ok()).unwrap()
    /// };
    /// assert!(queue.wait_empty(&Till::seconds(10.0)));
    /// assert!(popper.join().unwrap());
    /// ```
    pub fn wait_empty(&self, till: &Signal) -> bool {
        let inner = &*self.inner;
        if inner.receiver.is_empty() {
            return true;
        }
        if till.is_go() {
            return false;
        }
        let _blocked = Blocked::Queue(inner.name.clone(), QueueSide::Drain).enter();
        let empty = &inner.empty;
        // Pairs with the SeqCst load in `took`; see there.
        empty.count.fetch_add(1, Ordering::SeqCst);
        let emptied = sleep_until(
            empty,
            |empty| (&empty.lock, &empty.woken),
            Some(till),
            |_| inner.receiver.is_empty().then_some(()),
        );
        empty.count.fetch_sub(1, Ordering::SeqCst);
        emptied.is_some()
    }

    /// After a successful pop: wakes [`wait_empty`](Queue::wait_empty)
    /// waiters if the queue is now empty.
    #[inline]
    fn took(&self, item: &T) {
        if let Some(waiting) = &self.inner.waiting {
            waiting.gone(item);
        }
        // A store-buffering pattern: this pop takes an item, then reads the
        // waiter count; a waiter counts itself, then reads the channel's
        // emptiness. Neither may miss the other, which all four operations
        // being SeqCst guarantees: crossbeam-channel 0.5 takes an item with
        // a SeqCst compare-exchange of the head index and `is_empty` loads
        // the head and tail with SeqCst, and our two sides are SeqCst too.
        // (A SeqCst load costs a plain load on x86 and ARMv8, where a fence
        // here would cost more than the rest of the pop.)
        if self.inner.empty.count.load(Ordering::SeqCst) != 0 {
            self.wake_empty_waiters();
        }
    }

    #[cold]
    fn wake_empty_waiters(&self) {
        if self.inner.receiver.is_empty() {
            let empty = &self.inner.empty;
            let _lock = empty.lock.lock();
            empty.woken.notify_all();
        }
    }
}

impl<T> Clone for Queue<T> {
    /// Another handle on the same queue.
    fn clone(&self) -> Queue<T> {
        Queue {
            inner: self.inner.clone(),
        }
    }
}

impl<T> fmt::Debug for Queue<T> {
    /// Name, length and state: `Queue("jobs", 3 items, open)`; never blocks.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = if self.inner.gate.is_sealed() && self.is_empty() {
            "closed and drained"
        } else if self.is_closed() {
            "closed"
        } else {
            "open"
        };
        write!(f, "Queue({:?}, {} items, {state})", self.name(), self.len())
    }
}

/// What an add waiting on a full queue gives up on, besides a close: the
/// till it was given, or else its thread's own `please_stop`, or nothing
/// (a thread the runtime does not know).
#[derive(Clone, Copy)]
enum GiveUp<'a> {
    Till(&'a Signal),
    OwnStop(&'a Signal),
    Never,
}

impl<'a> GiveUp<'a> {
    /// The till given, or else the thread's own `please_stop` (if known).
    fn of(till: Option<&'a Signal>, own_please_stop: Option<&'a Signal>) -> GiveUp<'a> {
        match (till, own_please_stop) {
            (Some(till), _) => GiveUp::Till(till),
            (None, Some(own)) => GiveUp::OwnStop(own),
            (None, None) => GiveUp::Never,
        }
    }

    fn signal(&self) -> Option<&Signal> {
        match *self {
            GiveUp::Till(signal) | GiveUp::OwnStop(signal) => Some(signal),
            GiveUp::Never => None,
        }
    }

    /// Why it gave up, with the item.
    fn error<T>(&self, item: T) -> AddError<T> {
        match self {
            GiveUp::OwnStop(_) => AddError::Stopped(item),
            GiveUp::Till(_) | GiveUp::Never => AddError::TillWent(item),
        }
    }
}
