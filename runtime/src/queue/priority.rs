//! [`PriorityQueue`]: a queue that pops its greatest item first, and can
//! take items at the front.

use super::error::{AddError, PopError};
use crate::local::blocked::{Blocked, QueueSide};
use crate::observed::{ObservedQueue, QUEUES, QueueFigures};
use crate::signal::Signal;
use crate::signal::wait::sleep_until;
use crate::sync::{Arc, Condvar, Mutex};
use crate::thread::current::own_please_stop;
use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::fmt;

#[cfg(all(test, not(loom)))]
mod tests;

/// A named, closable queue that pops the greatest item first (by `Ord`),
/// with a way to put items at the very front.
///
/// Priorities are the items' own order: wrap an item in
/// [`std::cmp::Reverse`] to pop the smallest first, or use a tuple
/// `(priority, item)`. Equal items pop in the order they were added.
/// [`push_front`](PriorityQueue::push_front) puts an item before all others,
/// whatever its order: the way to hand back an item a consumer could not
/// process.
///
/// It has the same close and till semantics as [`Queue`](super::Queue):
/// closing keeps every item, adding to a closed queue gives the item back,
/// every blocking call takes a Signal to give up on and sleeps until woken.
/// Items must be `Send + 'static`: a waiting call leaves a callback on its
/// till that refers to the queue. It is a mutex around a binary heap: adds and pops cost O(log n) under
/// one lock, and each change wakes every thread waiting for that kind of
/// change (fine for the few consumers such a queue usually has).
///
/// ```
/// use more_threads::{PriorityQueue, Till};
///
/// let alerts = PriorityQueue::new("alerts");
/// alerts.add((1, "disk 80% full"))?;
/// alerts.add((9, "disk failed"))?;
/// alerts.add((5, "disk slow"))?;
/// assert_eq!(alerts.pop_till(&Till::seconds(1.0)), Ok((9, "disk failed")));
/// alerts.push_front((0, "retry: disk failed"))?;
/// assert_eq!(alerts.pop_one(), Some((0, "retry: disk failed")));
/// assert_eq!(alerts.pop_all(), vec![(5, "disk slow"), (1, "disk 80% full")]);
/// # Ok::<(), more_threads::queue::AddError<(u8, &str)>>(())
/// ```
pub struct PriorityQueue<T> {
    shared: Arc<Shared<T>>,
}

struct Shared<T> {
    name: Arc<str>,
    capacity: Option<usize>,
    state: Mutex<State<T>>,
    /// Poppers wait here for an item or the close.
    not_empty: Condvar,
    /// Adders wait here for room or the close.
    not_full: Condvar,
    /// `wait_empty` waits here.
    emptied: Condvar,
    closed: Signal,
}

struct State<T> {
    heap: BinaryHeap<Ranked<T>>,
    closed: bool,
    /// Numbers the items added, so equal items pop first-in first-out.
    added: u64,
    /// Numbers the items pushed to the front; the newest pops first.
    fronted: u64,
}

/// An item and where it stands.
struct Ranked<T> {
    rank: Rank,
    item: T,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Rank {
    /// Pushed to the front: before every `Normal`, greater numbers first.
    Front(u64),
    /// Added: by the item's order, then smaller numbers (older) first.
    Normal(u64),
}

impl<T: Ord> Ord for Ranked<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self.rank, other.rank) {
            (Rank::Front(mine), Rank::Front(theirs)) => mine.cmp(&theirs),
            (Rank::Front(_), Rank::Normal(_)) => Ordering::Greater,
            (Rank::Normal(_), Rank::Front(_)) => Ordering::Less,
            (Rank::Normal(mine), Rank::Normal(theirs)) => {
                self.item.cmp(&other.item).then(theirs.cmp(&mine))
            }
        }
    }
}

impl<T: Ord> PartialOrd for Ranked<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<T: Ord> PartialEq for Ranked<T> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl<T: Ord> Eq for Ranked<T> {}

/// Where each kind of waiter sleeps: the state's mutex, and its condvar.
type Parts<T> = fn(&Shared<T>) -> (&Mutex<State<T>>, &Condvar);

impl<T: Ord + Send + 'static> PriorityQueue<T> {
    /// A priority queue without a bound.
    ///
    /// ```
    /// let queue = more_threads::PriorityQueue::<u32>::new("work");
    /// assert_eq!(queue.name(), "work");
    /// ```
    pub fn new(name: impl Into<Cow<'static, str>>) -> PriorityQueue<T> {
        PriorityQueue::build(name.into(), None)
    }

    /// A priority queue that holds at most `max` items: adds block while it
    /// is full ([`push_front`](PriorityQueue::push_front) does not).
    ///
    /// # Panics
    ///
    /// If `max` is 0 (naming the queue): a priority queue that can hold
    /// nothing can order nothing; use a [`Queue`](super::Queue) with
    /// `bounded(name, 0)` for a rendezvous.
    ///
    /// ```
    /// let queue = more_threads::PriorityQueue::<u32>::bounded("work", 100);
    /// assert_eq!(queue.capacity(), Some(100));
    /// ```
    ///
    /// ```should_panic
    /// // panics: PriorityQueue "nothing" cannot be bounded to 0 items
    /// more_threads::PriorityQueue::<u32>::bounded("nothing", 0);
    /// ```
    pub fn bounded(name: impl Into<Cow<'static, str>>, max: usize) -> PriorityQueue<T> {
        let name = name.into();
        assert!(
            max > 0,
            "PriorityQueue {name:?} cannot be bounded to 0 items: it could never hold one \
             to order; use Queue::bounded({name:?}, 0) for a rendezvous"
        );
        PriorityQueue::build(name, Some(max))
    }

    fn build(name: Cow<'static, str>, capacity: Option<usize>) -> PriorityQueue<T> {
        let name: Arc<str> = name.into();
        let queue = PriorityQueue {
            shared: Arc::new(Shared {
                closed: Signal::named(format!("queue {name:?} closed")),
                name,
                capacity,
                state: Mutex::new(State {
                    heap: BinaryHeap::new(),
                    closed: false,
                    added: 0,
                    fronted: 0,
                }),
                not_empty: Condvar::new(),
                not_full: Condvar::new(),
                emptied: Condvar::new(),
            }),
        };
        // Once, as a Queue does (see `observed`): nothing per add or pop.
        QUEUES.register(Arc::<Shared<T>>::downgrade(&queue.shared));
        queue
    }

    /// Adds `item` in its place by order, blocking while the queue is full.
    ///
    /// # Errors
    ///
    /// [`AddError::Closed`] with the item if the queue is closed first.
    ///
    /// ```
    /// let queue = more_threads::PriorityQueue::new("q");
    /// queue.add(3)?;
    /// queue.add(7)?;
    /// assert_eq!(queue.pop_one(), Some(7));
    /// # Ok::<(), more_threads::queue::AddError<u32>>(())
    /// ```
    pub fn add(&self, item: T) -> Result<(), AddError<T>> {
        self.add_inner(item, None)
    }

    /// Adds `item` in its place by order, blocking while the queue is full
    /// but not after `till` goes.
    ///
    /// # Errors
    ///
    /// [`AddError::Closed`] or [`AddError::TillWent`], with the item.
    ///
    /// ```
    /// use more_threads::{PriorityQueue, Till};
    ///
    /// let queue = PriorityQueue::bounded("q", 1);
    /// queue.add_till(1, &Till::seconds(1.0))?;
    /// let full = queue.add_till(2, &Till::seconds(0.001)).unwrap_err();
    /// assert_eq!(full.into_inner(), 2);
    /// # Ok::<(), more_threads::queue::AddError<u32>>(())
    /// ```
    pub fn add_till(&self, item: T, till: &Signal) -> Result<(), AddError<T>> {
        self.add_inner(item, Some(till))
    }

    fn add_inner(&self, item: T, till: Option<&Signal>) -> Result<(), AddError<T>> {
        let capacity = self.shared.capacity.unwrap_or(usize::MAX);
        let mut unplaced = Some(item);
        // Given no till, it gives up when its thread is asked to stop.
        let closed = self.wait_for(
            |shared| (&shared.state, &shared.not_full),
            QueueSide::Add,
            till.map_or(GiveUp::OwnStop, GiveUp::Till),
            |state| {
                if state.closed {
                    return Some(true);
                }
                if state.heap.len() >= capacity {
                    return None;
                }
                let item = unplaced.take()?;
                let rank = Rank::Normal(state.added);
                state.added += 1;
                state.heap.push(Ranked { rank, item });
                self.added();
                Some(false)
            },
        );
        match unplaced {
            None => Ok(()),
            Some(item) if closed == Some(true) => Err(AddError::Closed(item)),
            // Without a till, only its thread's stop ends the wait.
            Some(item) if till.is_none() => Err(AddError::Stopped(item)),
            Some(item) => Err(AddError::TillWent(item)),
        }
    }

    /// Puts `item` before every item in the queue, whatever its order; the
    /// most recently pushed item pops first. Never blocks: it may take the
    /// queue past its bound, so a consumer can always hand an item back.
    ///
    /// # Errors
    ///
    /// [`AddError::Closed`] with the item if the queue is closed.
    ///
    /// ```
    /// let queue = more_threads::PriorityQueue::bounded("q", 1);
    /// queue.add(10)?;
    /// queue.push_front(1)?; // past the bound: a hand-back never blocks
    /// assert_eq!(queue.pop_all(), vec![1, 10]);
    /// # Ok::<(), more_threads::queue::AddError<u32>>(())
    /// ```
    pub fn push_front(&self, item: T) -> Result<(), AddError<T>> {
        let mut state = self.shared.state.lock();
        if state.closed {
            return Err(AddError::Closed(item));
        }
        state.fronted += 1;
        let rank = Rank::Front(state.fronted);
        state.heap.push(Ranked { rank, item });
        self.added();
        Ok(())
    }

    /// Puts `items` before every item in the queue, keeping their order: the
    /// first of them pops first. Never blocks, like
    /// [`push_front`](PriorityQueue::push_front).
    ///
    /// # Errors
    ///
    /// [`AddError::Closed`] with all the items if the queue is closed; none
    /// is added then.
    ///
    /// ```
    /// let queue = more_threads::PriorityQueue::new("q");
    /// queue.add(5)?;
    /// queue.push_all_front(vec![1, 2, 3]).unwrap();
    /// assert_eq!(queue.pop_all(), vec![1, 2, 3, 5]);
    /// # Ok::<(), more_threads::queue::AddError<u32>>(())
    /// ```
    pub fn push_all_front(
        &self,
        items: impl IntoIterator<Item = T>,
    ) -> Result<(), AddError<Vec<T>>> {
        let items: Vec<T> = items.into_iter().collect();
        let mut state = self.shared.state.lock();
        if state.closed {
            return Err(AddError::Closed(items));
        }
        let first = state.fronted + items.len() as u64;
        for (index, item) in items.into_iter().enumerate() {
            let rank = Rank::Front(first - index as u64);
            state.heap.push(Ranked { rank, item });
        }
        state.fronted = first;
        self.added();
        Ok(())
    }

    /// Takes the greatest item (or the newest pushed to the front), waiting
    /// for one until `till` goes.
    ///
    /// # Errors
    ///
    /// [`PopError::Closed`] once closed and drained; [`PopError::TillWent`]
    /// if `till` went while it was empty.
    ///
    /// ```
    /// use more_threads::{PriorityQueue, Till};
    /// use more_threads::queue::PopError;
    ///
    /// let queue = PriorityQueue::<u8>::new("q");
    /// assert_eq!(queue.pop_till(&Till::seconds(0.001)), Err(PopError::TillWent));
    /// queue.close();
    /// assert_eq!(queue.pop_till(&Till::seconds(1.0)), Err(PopError::Closed));
    /// ```
    pub fn pop_till(&self, till: &Signal) -> Result<T, PopError> {
        let popped = self.wait_for(
            |shared| (&shared.state, &shared.not_empty),
            QueueSide::Pop,
            GiveUp::Till(till),
            |state| match state.heap.pop() {
                Some(entry) => {
                    self.removed(state);
                    Some(Ok(entry.item))
                }
                None if state.closed => Some(Err(PopError::Closed)),
                None => None,
            },
        );
        popped.unwrap_or(Err(PopError::TillWent))
    }

    /// Takes the greatest item if there is one; never blocks.
    ///
    /// ```
    /// let queue = more_threads::PriorityQueue::new("q");
    /// assert_eq!(queue.pop_one(), None);
    /// queue.add('z').unwrap();
    /// assert_eq!(queue.pop_one(), Some('z'));
    /// ```
    pub fn pop_one(&self) -> Option<T> {
        let mut state = self.shared.state.lock();
        let entry = state.heap.pop()?;
        self.removed(&state);
        Some(entry.item)
    }

    /// Takes every item, in the order they would pop; never blocks.
    ///
    /// ```
    /// let queue = more_threads::PriorityQueue::new("q");
    /// for n in [2, 9, 4] {
    ///     queue.add(n).unwrap();
    /// }
    /// assert_eq!(queue.pop_all(), vec![9, 4, 2]);
    /// ```
    pub fn pop_all(&self) -> Vec<T> {
        let mut state = self.shared.state.lock();
        let heap = std::mem::take(&mut state.heap);
        if !heap.is_empty() {
            self.removed(&state);
        }
        drop(state);
        let mut entries = heap.into_vec();
        entries.sort_unstable_by(|a, b| b.cmp(a));
        entries.into_iter().map(|entry| entry.item).collect()
    }

    /// An iterator that pops items until the queue is closed and drained, or
    /// `please_stop` goes (checked before each item; items left stay in the
    /// queue).
    ///
    /// ```
    /// use more_threads::{PriorityQueue, Signal};
    ///
    /// let queue = PriorityQueue::new("q");
    /// for n in [1, 3, 2] {
    ///     queue.add(n).unwrap();
    /// }
    /// queue.close();
    /// let please_stop = Signal::new();
    /// assert_eq!(queue.iter_till(&please_stop).collect::<Vec<_>>(), vec![3, 2, 1]);
    /// ```
    pub fn iter_till<'a>(&'a self, please_stop: &'a Signal) -> impl Iterator<Item = T> + 'a {
        std::iter::from_fn(move || {
            if please_stop.is_go() {
                return None;
            }
            self.pop_till(please_stop).ok()
        })
    }

    /// Takes the greatest item, waiting for one, but not after the calling
    /// thread is asked to stop, as [`Queue::pop`](crate::Queue::pop).
    ///
    /// # Errors
    ///
    /// [`PopError::Closed`] once the queue is closed and every item popped;
    /// [`PopError::Stopped`] if the calling thread was asked to stop while
    /// the queue was empty.
    ///
    /// ```
    /// let queue = more_threads::PriorityQueue::new("q");
    /// queue.add(1)?;
    /// queue.add(3)?;
    /// assert_eq!(queue.pop(), Ok(3));
    /// # Ok::<(), more_threads::queue::AddError<u32>>(())
    /// ```
    pub fn pop(&self) -> Result<T, PopError> {
        match own_please_stop() {
            Some(please_stop) => self.pop_till(&please_stop).map_err(|error| match error {
                PopError::TillWent => PopError::Stopped,
                error => error,
            }),
            None => self.pop_till(&Signal::never()),
        }
    }

    /// Pops the greatest item, then the next, until the queue is closed and
    /// drained or the calling thread is asked to stop, as
    /// [`Queue::iter`](crate::Queue::iter).
    ///
    /// ```
    /// let queue = more_threads::PriorityQueue::new("q");
    /// for n in [1, 3, 2] {
    ///     queue.add(n)?;
    /// }
    /// queue.close();
    /// assert_eq!(queue.iter().collect::<Vec<_>>(), vec![3, 2, 1]);
    /// # Ok::<(), more_threads::queue::AddError<u32>>(())
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = T> + '_ {
        let please_stop = own_please_stop().unwrap_or_else(Signal::never);
        std::iter::from_fn(move || {
            if please_stop.is_go() {
                return None;
            }
            self.pop_till(&please_stop).ok()
        })
    }
}

impl<T> PriorityQueue<T> {
    /// The name given at creation.
    ///
    /// ```
    /// assert_eq!(more_threads::PriorityQueue::<u8>::new("p").name(), "p");
    /// ```
    pub fn name(&self) -> &str {
        &self.shared.name
    }

    /// The bound given to [`PriorityQueue::bounded`]; `None` when unbounded.
    ///
    /// ```
    /// assert_eq!(more_threads::PriorityQueue::<u8>::new("p").capacity(), None);
    /// ```
    pub fn capacity(&self) -> Option<usize> {
        self.shared.capacity
    }

    /// Closes the queue: adds fail from now on (giving the item back),
    /// blocked adders give up, and pops return the items left, then
    /// [`PopError::Closed`]. Returns whether this call closed it.
    ///
    /// ```
    /// let queue = more_threads::PriorityQueue::new("q");
    /// queue.add(1).unwrap();
    /// assert!(queue.close());
    /// assert!(queue.add(2).is_err());
    /// assert_eq!(queue.pop_one(), Some(1));
    /// ```
    pub fn close(&self) -> bool {
        let shared = &*self.shared;
        {
            let mut state = shared.state.lock();
            if state.closed {
                return false;
            }
            state.closed = true;
            shared.not_empty.notify_all();
            shared.not_full.notify_all();
        }
        shared.closed.go();
        true
    }

    /// Whether [`close`](PriorityQueue::close) has been called.
    ///
    /// ```
    /// let queue = more_threads::PriorityQueue::<u8>::new("q");
    /// queue.close();
    /// assert!(queue.is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        self.shared.closed.is_go()
    }

    /// A Signal that goes when the queue is closed.
    ///
    /// ```
    /// let queue = more_threads::PriorityQueue::<u8>::new("q");
    /// queue.close();
    /// assert!(queue.closed().is_go());
    /// ```
    pub fn closed(&self) -> &Signal {
        &self.shared.closed
    }

    /// How many items are in the queue now.
    ///
    /// ```
    /// let queue = more_threads::PriorityQueue::new("q");
    /// queue.add(1).unwrap();
    /// assert_eq!(queue.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.shared.state.lock().heap.len()
    }

    /// Whether the queue holds no item now.
    ///
    /// ```
    /// assert!(more_threads::PriorityQueue::<u8>::new("q").is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.shared.state.lock().heap.is_empty()
    }
}

impl<T: Send + 'static> PriorityQueue<T> {
    /// Blocks until the queue is empty or `till` goes; returns whether it is.
    ///
    /// ```
    /// use more_threads::{PriorityQueue, Till};
    ///
    /// let queue = PriorityQueue::new("q");
    /// assert!(queue.wait_empty(&Till::seconds(1.0)));
    /// queue.add(1).unwrap();
    /// assert!(!queue.wait_empty(&Till::seconds(0.001)));
    /// ```
    pub fn wait_empty(&self, till: &Signal) -> bool {
        self.wait_for(
            |shared| (&shared.state, &shared.emptied),
            QueueSide::Drain,
            GiveUp::Till(till),
            |state| state.heap.is_empty().then_some(()),
        )
        .is_some()
    }

    /// Runs `ready` under the lock until it gives a result, sleeping between
    /// tries (on the condvar `parts` names, as a waiter at `side`, which
    /// the console counts) until `till` goes (`None`).
    /// Tries before waiting, so a till that has gone only stops a wait,
    /// never an operation that can proceed; and leaves no wake-up on the
    /// till unless it has to sleep.
    fn wait_for<R>(
        &self,
        parts: Parts<T>,
        side: QueueSide,
        give_up: GiveUp<'_>,
        mut ready: impl FnMut(&mut State<T>) -> Option<R>,
    ) -> Option<R> {
        let given = match give_up {
            GiveUp::Till(till) => Some(till),
            GiveUp::OwnStop => None,
        };
        {
            let mut state = self.shared.state.lock();
            if let Some(result) = ready(&mut state) {
                return Some(result);
            }
            if given.is_some_and(Signal::is_go) {
                return None;
            }
        }
        // Only a wait asks for the thread's please_stop (the fast path does
        // not pay for it).
        let own;
        let till = match give_up {
            GiveUp::Till(till) => Some(till),
            GiveUp::OwnStop => {
                own = own_please_stop();
                own.as_ref()
            }
        };
        let _blocked = Blocked::Queue(self.shared.name.clone(), side).enter();
        sleep_until(&self.shared, parts, till, ready)
    }

    /// After an item went in: wakes the poppers (a notify nobody waits for
    /// costs one load in `parking_lot`).
    fn added(&self) {
        self.shared.not_empty.notify_all();
    }

    /// After items came out: wakes the adders, and the `wait_empty`ers if empty.
    fn removed(&self, state: &State<T>) {
        self.shared.not_full.notify_all();
        if state.heap.is_empty() {
            self.shared.emptied.notify_all();
        }
    }
}

impl<T: Send> ObservedQueue for Shared<T> {
    /// Read by the console when it samples: the length under the queue's
    /// lock, held for that copy only.
    fn figures(&self) -> QueueFigures {
        QueueFigures {
            name: self.name.clone(),
            len: self.state.lock().heap.len(),
            capacity: self.capacity,
            closed: self.closed.is_go(),
        }
    }
}

impl<T> Clone for PriorityQueue<T> {
    /// Another handle on the same queue.
    fn clone(&self) -> PriorityQueue<T> {
        PriorityQueue {
            shared: self.shared.clone(),
        }
    }
}

impl<T> fmt::Debug for PriorityQueue<T> {
    /// `PriorityQueue("name", 3 items, open)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = if self.is_closed() { "closed" } else { "open" };
        write!(
            f,
            "PriorityQueue({:?}, {} items, {state})",
            self.name(),
            self.len()
        )
    }
}

/// What a wait of the queue gives up on: its till, or (an add given none)
/// its thread's `please_stop` (nothing, on a thread the runtime does not
/// know).
#[derive(Clone, Copy)]
enum GiveUp<'a> {
    Till(&'a Signal),
    OwnStop,
}
