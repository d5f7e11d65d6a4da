//! [`BatchQueue`]: items in one at a time, out to a slow sink in batches.

use crate::queue::{AddError, Queue};
use crate::signal::Signal;
use crate::sync::Arc;
use crate::sync::real::Mutex;
use crate::thread::BoxError;
use crate::thread::Outcome;
use crate::thread::Thread;
use crate::thread::ThreadError;
use crate::thread::ThreadName;
use crate::till::Till;
use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

#[cfg(all(test, not(loom)))]
mod tests;

/// Takes items one at a time and hands them to a slower sink (a database, a
/// file, a remote service) in batches, from its own named thread.
///
/// A batch goes to the sink when it holds [`batch_size`](BatchQueueBuilder::batch_size)
/// items, or [`max_wait`](BatchQueueBuilder::max_wait) after its first item
/// came, whichever is first. Adding costs the caller what a [`Queue::add`]
/// costs: the batching happens on the forwarding thread, a child of the
/// thread that made the queue.
///
/// Nothing is lost:
///
/// * On [`close`](BatchQueue::close), [`finish`](BatchQueue::finish), when
///   the last clone is dropped, or when the forwarding thread is asked to
///   stop (its parent ended), the queue closes (later adds fail with the
///   item) and every item it holds is handed to the sink, in batches, before
///   the thread ends. Dropping the last clone waits for that.
/// * A sink call that fails (returns `Err` or panics) is retried with the
///   same batch, [`retries`](BatchQueueBuilder::retries) times; if it still
///   fails, the batch and the last error go to the
///   [`on_error`](BatchQueueBuilder::on_error) callback. Without one, the
///   forwarding thread goes on with the next batches, then *fails*, saying
///   how many items were not written, with the sink's last error as the
///   cause: [`finish`](BatchQueue::finish) returns that, and a queue dropped
///   unfinished hands it to the thread that made it, as a dropped thread
///   handle does (under `Main`, the process exits non-zero).
/// * On a forced exit (a second Ctrl-C), it says on stderr how many items it
///   still held.
/// * Items reach the sink in the order they were added by each producer.
///
/// The sink borrows the batch (`&[T]`) so that a failed call can be retried
/// with the same items.
///
/// ```
/// use more_threads::BatchQueue;
/// use std::sync::{Arc, Mutex};
/// use std::time::Duration;
///
/// let written = Arc::new(Mutex::new(Vec::new()));
/// let lines = {
///     let written = written.clone();
///     BatchQueue::new("log lines", 100, Duration::from_millis(50), move |batch: &[String]| {
///         written.lock().unwrap().push(batch.len()); // one write per batch
///     })?
/// };
/// for n in 0..250 {
///     lines.add(format!("line {n}"))?;
/// }
/// lines.finish()?; // flushes what is left, and waits for it
/// let batches = written.lock().unwrap().clone();
/// assert_eq!(batches.iter().sum::<usize>(), 250);
/// assert!(batches.iter().all(|&size| size <= 100));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct BatchQueue<T> {
    shared: Arc<Shared<T>>,
}

struct Shared<T> {
    queue: Queue<T>,
    forwarder: Mutex<Option<Thread<()>>>,
    /// What it says on a forced exit; registered (weakly) with `Main`.
    _holding: Arc<Holding>,
}

/// Items in a batch being gathered or sent, for the forced-exit report.
type InBatch = Arc<crate::sync::real::AtomicUsize>;

/// What a sink's failure is handed to, with the batch.
type OnError<T> = Box<dyn FnMut(Vec<T>, BoxError) + Send>;

/// The options of a [`BatchQueue`]; made by [`BatchQueue::builder`].
///
/// ```
/// use more_threads::BatchQueue;
/// use std::time::Duration;
///
/// let rows = BatchQueue::builder("rows")
///     .batch_size(500)
///     .max_wait(Duration::from_secs(2))
///     .bounded(10_000)
///     .retries(3, Duration::from_millis(100))
///     .on_error(|batch: Vec<u64>, error| eprintln!("lost {} rows: {error}", batch.len()))
///     .start(|batch: &[u64]| -> Result<(), std::io::Error> { Ok(()) })?;
/// rows.add(1)?;
/// rows.finish()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use = "a builder does nothing until start()"]
pub struct BatchQueueBuilder<T> {
    name: String,
    batch_size: usize,
    max_wait: Duration,
    capacity: Option<usize>,
    retries: u32,
    retry_pause: Duration,
    on_error: Option<OnError<T>>,
}

impl<T: Send + 'static> BatchQueue<T> {
    /// Starts a batch queue named `name` (its thread has the same name) that
    /// sends batches of at most `batch_size` items to `sink`, at least every
    /// `max_wait` while items come. The other options keep their defaults
    /// (see [`BatchQueue::builder`]).
    ///
    /// # Errors
    ///
    /// The [`ThreadError`] of a forwarding thread that could not start.
    ///
    /// # Panics
    ///
    /// If `batch_size` is 0 (naming the queue).
    ///
    /// ```
    /// use more_threads::BatchQueue;
    /// use std::time::Duration;
    ///
    /// let sizes = BatchQueue::new("sizes", 10, Duration::from_millis(20), |batch: &[u32]| {
    ///     assert!(batch.len() <= 10);
    /// })?;
    /// sizes.add(7)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new<O, S>(
        name: &str,
        batch_size: usize,
        max_wait: Duration,
        sink: S,
    ) -> Result<BatchQueue<T>, ThreadError>
    where
        S: FnMut(&[T]) -> O + Send + 'static,
        O: Outcome<Value = ()> + 'static,
    {
        BatchQueue::builder(name)
            .batch_size(batch_size)
            .max_wait(max_wait)
            .start(sink)
    }

    /// A builder with the defaults: batches of at most 1000 items, sent at
    /// least every second, an unbounded queue, 2 retries 100 ms apart, and
    /// no `on_error` (items the sink failed on fail the thread).
    ///
    /// ```
    /// let queue = more_threads::BatchQueue::builder("q").start(|_: &[u8]| ())?;
    /// queue.finish()?;
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn builder(name: impl ThreadName) -> BatchQueueBuilder<T> {
        let name = name.thread_name();
        BatchQueueBuilder {
            name: name.to_owned(),
            batch_size: 1000,
            max_wait: Duration::from_secs(1),
            capacity: None,
            retries: 2,
            retry_pause: Duration::from_millis(100),
            on_error: None,
        }
    }
}

impl<T> BatchQueue<T> {
    /// Adds an item for the next batch; blocks only if the queue was made
    /// [`bounded`](BatchQueueBuilder::bounded) and is full.
    ///
    /// # Errors
    ///
    /// [`AddError::Closed`] with the item once the queue is closed or its
    /// thread was asked to stop.
    ///
    /// ```
    /// let queue = more_threads::BatchQueue::builder("q").start(|_: &[u8]| ())?;
    /// queue.add(1)?;
    /// queue.close();
    /// assert_eq!(queue.add(2).unwrap_err().into_inner(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn add(&self, item: T) -> Result<(), AddError<T>> {
        self.shared.queue.add(item)
    }

    /// Adds an item, waiting while a bounded queue is full, but not after
    /// `till` goes.
    ///
    /// # Errors
    ///
    /// [`AddError::Closed`] or [`AddError::TillWent`], with the item.
    ///
    /// ```
    /// use more_threads::{BatchQueue, Till};
    ///
    /// let queue = BatchQueue::builder("q").bounded(10).start(|_: &[u8]| ())?;
    /// queue.add_till(1, &Till::seconds(1.0))?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_till(&self, item: T, till: &Signal) -> Result<(), AddError<T>> {
        self.shared.queue.add_till(item, till)
    }

    /// Closes the queue: later adds fail; the forwarding thread hands every
    /// item left to the sink, then ends. Does not wait (see
    /// [`finish`](BatchQueue::finish)); returns whether this call closed it.
    ///
    /// ```
    /// let queue = more_threads::BatchQueue::builder("q").start(|_: &[u8]| ())?;
    /// assert!(queue.close());
    /// assert!(queue.is_closed());
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn close(&self) -> bool {
        self.shared.queue.close()
    }

    /// Whether the queue is closed (by a call, or by its thread stopping).
    ///
    /// ```
    /// let queue = more_threads::BatchQueue::builder("q").start(|_: &[u8]| ())?;
    /// assert!(!queue.is_closed());
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn is_closed(&self) -> bool {
        self.shared.queue.is_closed()
    }

    /// Closes the queue and waits until every item was handed to the sink
    /// (or to `on_error`) and the thread ended.
    ///
    /// # Errors
    ///
    /// The forwarding thread's failure: without `on_error`, the items the
    /// sink failed on even after its retries (how many, and the sink's last
    /// error as the cause); a panic of the `on_error` callback; or
    /// [`WouldDeadlock`](crate::thread::ThreadErrorKind::WouldDeadlock) when called
    /// from the sink itself. Another clone that finished first makes this
    /// return `Ok` at once.
    ///
    /// # Reported once
    ///
    /// A failure is reported exactly once, as a thread's is: the `Err`
    /// returned here is the report, and nothing is logged about it. A
    /// failure nobody can receive goes to the log instead, once: a queue
    /// dropped unfinished hands it to the thread that made it, which folds
    /// it into its own outcome, or, if that thread has ended, logs it at
    /// ERROR. A sink failure that `on_error` took is not a failure of the
    /// queue: neither returned nor logged.
    ///
    /// ```
    /// let queue = more_threads::BatchQueue::builder("q").start(|_: &[u8]| ())?;
    /// queue.add(1)?;
    /// queue.finish()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn finish(self) -> Result<(), ThreadError> {
        self.shared.finish()
    }

    /// How many items wait for a batch (not counting the batch being
    /// gathered or sent).
    ///
    /// ```
    /// let queue = more_threads::BatchQueue::builder("q").start(|_: &[u8]| ())?;
    /// assert_eq!(queue.len(), 0);
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn len(&self) -> usize {
        self.shared.queue.len()
    }

    /// Whether no item waits for a batch.
    ///
    /// ```
    /// let queue = more_threads::BatchQueue::builder("q").start(|_: &[u8]| ())?;
    /// assert!(queue.is_empty());
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.shared.queue.is_empty()
    }

    /// The queue's name, which is also its thread's.
    ///
    /// ```
    /// let queue = more_threads::BatchQueue::builder("rows").start(|_: &[u8]| ())?;
    /// assert_eq!(queue.name(), "rows");
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn name(&self) -> &str {
        self.shared.queue.name()
    }
}

impl<T> Shared<T> {
    fn finish(&self) -> Result<(), ThreadError> {
        self.queue.close();
        let forwarder = self.forwarder.lock().take();
        match forwarder {
            Some(thread) => thread.join(),
            None => Ok(()),
        }
    }
}

impl<T> Drop for Shared<T> {
    /// The last clone is gone: close, and wait for the flush. A failure is
    /// handed to the thread that made the queue, as a dropped thread handle
    /// hands it: that thread's end reports it (never lost, never twice).
    fn drop(&mut self) {
        self.queue.close();
        if let Some(thread) = self.forwarder.lock().take() {
            // From the sink itself, waiting would never end: its thread
            // flushes on, and its end reports what failed.
            if !thread.would_deadlock() {
                thread.stopped().wait();
            }
            drop(thread);
        }
    }
}

impl<T: Send + 'static> BatchQueueBuilder<T> {
    /// At most this many items per batch (default 1000).
    ///
    /// # Panics
    ///
    /// [`start`](BatchQueueBuilder::start) panics, naming the queue, if it is 0.
    ///
    /// ```
    /// let queue = more_threads::BatchQueue::builder("q").batch_size(10).start(|_: &[u8]| ())?;
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn batch_size(mut self, items: usize) -> BatchQueueBuilder<T> {
        self.batch_size = items;
        self
    }

    /// A batch is sent at most this long after its first item came, full or
    /// not (default one second).
    ///
    /// ```
    /// let queue = more_threads::BatchQueue::builder("q")
    ///     .max_wait(std::time::Duration::from_millis(10))
    ///     .start(|_: &[u8]| ())?;
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn max_wait(mut self, max_wait: Duration) -> BatchQueueBuilder<T> {
        self.max_wait = max_wait;
        self
    }

    /// Holds at most `max` items waiting for a batch: adds block while it is
    /// full, which slows producers down to the sink's pace (default:
    /// unbounded).
    ///
    /// ```
    /// let queue = more_threads::BatchQueue::builder("q").bounded(100).start(|_: &[u8]| ())?;
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn bounded(mut self, max: usize) -> BatchQueueBuilder<T> {
        self.capacity = Some(max);
        self
    }

    /// Retries a failed sink call `times` more times, `pause` apart (no pause
    /// once the thread is asked to stop: it is then flushing). Default: 2
    /// retries, 100 ms apart.
    ///
    /// ```
    /// use std::time::Duration;
    /// let queue = more_threads::BatchQueue::builder("q")
    ///     .retries(5, Duration::from_secs(1))
    ///     .start(|_: &[u8]| ())?;
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn retries(mut self, times: u32, pause: Duration) -> BatchQueueBuilder<T> {
        self.retries = times;
        self.retry_pause = pause;
        self
    }

    /// Where a batch goes when the sink failed on it and every retry: with
    /// the last error. Runs on the forwarding thread. Without one, each such
    /// batch is counted, and the thread fails at its end, saying how many
    /// items were not written (reported once, as
    /// [`finish`](BatchQueue::finish) says).
    ///
    /// ```
    /// use std::sync::{Arc, Mutex};
    ///
    /// let failed = Arc::new(Mutex::new(Vec::new()));
    /// let queue = {
    ///     let failed = failed.clone();
    ///     more_threads::BatchQueue::builder("q")
    ///         .retries(0, std::time::Duration::ZERO)
    ///         .on_error(move |batch, _error| failed.lock().unwrap().extend(batch))
    ///         .start(|_: &[u8]| Err::<(), _>("the disk is full"))?
    /// };
    /// queue.add(9)?;
    /// queue.finish()?;
    /// assert_eq!(*failed.lock().unwrap(), vec![9]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn on_error(
        mut self,
        on_error: impl FnMut(Vec<T>, BoxError) + Send + 'static,
    ) -> BatchQueueBuilder<T> {
        self.on_error = Some(Box::new(on_error));
        self
    }

    /// Starts the forwarding thread, a child of the current thread, that
    /// calls `sink` with each batch.
    ///
    /// # Errors
    ///
    /// The [`ThreadError`] of a thread that could not start.
    ///
    /// # Panics
    ///
    /// If the batch size is 0 (naming the queue).
    ///
    /// ```
    /// let queue = more_threads::BatchQueue::builder("q").start(|batch: &[u8]| {
    ///     println!("{} items", batch.len());
    /// })?;
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn start<O, S>(self, sink: S) -> Result<BatchQueue<T>, ThreadError>
    where
        S: FnMut(&[T]) -> O + Send + 'static,
        O: Outcome<Value = ()> + 'static,
    {
        assert!(
            self.batch_size > 0,
            "BatchQueue {:?} needs a batch size of at least 1",
            self.name
        );
        let queue = match self.capacity {
            Some(max) => Queue::bounded(self.name.clone(), max),
            None => Queue::new(self.name.clone()),
        };
        let in_batch = InBatch::default();
        let mut forwarder = Forwarder {
            queue: queue.clone(),
            batch_size: self.batch_size,
            max_wait: self.max_wait,
            retries: self.retries,
            retry_pause: self.retry_pause,
            sink,
            on_error: self.on_error,
            unwritten: Unwritten::default(),
            in_batch: in_batch.clone(),
            outcome: PhantomData,
        };
        let holding: Arc<Holding> = {
            let (queue, in_batch) = (queue.clone(), in_batch);
            Arc::new(move || {
                let held = queue.len() + in_batch.load(crate::sync::real::Ordering::Relaxed);
                (held > 0).then(|| {
                    format!(
                        "BatchQueue {:?} held {held} items that were not written",
                        queue.name()
                    )
                })
            })
        };
        crate::main_thread::report_at_forced_exit(&holding);
        let thread = Thread::run(&self.name, move |please_stop: &Signal| {
            forwarder.run(please_stop);
            forwarder.unwritten.into_result(forwarder.queue.name())
        })?;
        Ok(BatchQueue {
            shared: Arc::new(Shared {
                queue,
                forwarder: Mutex::new(Some(thread)),
                _holding: holding,
            }),
        })
    }
}

/// The items the sink failed on, with no `on_error` to take them: the
/// thread's failure, once it has handed over everything else.
#[derive(Default)]
struct Unwritten {
    items: usize,
    last_error: Option<BoxError>,
}

impl Unwritten {
    fn into_result(self, queue: &str) -> Result<(), BoxError> {
        match self.last_error {
            None => Ok(()),
            Some(source) => Err(Box::new(SinkFailed {
                queue: queue.to_owned(),
                items: self.items,
                source,
            })),
        }
    }
}

/// A BatchQueue's sink failed on items, even after its retries.
#[derive(Debug)]
struct SinkFailed {
    queue: String,
    items: usize,
    source: BoxError,
}

impl fmt::Display for SinkFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "BatchQueue {:?}: {} items were not written (the sink failed on them after its retries)",
            self.queue, self.items
        )
    }
}

impl std::error::Error for SinkFailed {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

/// What a batch queue says on a forced exit, if anything.
type Holding = dyn Fn() -> Option<String> + Send + Sync;

/// The forwarding thread's state.
struct Forwarder<T, S, O> {
    queue: Queue<T>,
    batch_size: usize,
    max_wait: Duration,
    retries: u32,
    retry_pause: Duration,
    sink: S,
    on_error: Option<OnError<T>>,
    unwritten: Unwritten,
    /// How many items the batch being gathered or sent holds.
    in_batch: InBatch,
    outcome: PhantomData<fn() -> O>,
}

impl<T, S, O> Forwarder<T, S, O>
where
    S: FnMut(&[T]) -> O,
    O: Outcome<Value = ()>,
{
    fn run(&mut self, please_stop: &Signal) {
        let mut batch = Vec::with_capacity(self.batch_size);
        // Gather: a batch starts with its first item and ends full, at its
        // deadline, or when asked to stop.
        while let Ok(first) = self.queue.pop_till(please_stop) {
            batch.push(first);
            let due = please_stop | Till::after(self.max_wait);
            while batch.len() < self.batch_size {
                match self.queue.pop_till(&due) {
                    Ok(item) => batch.push(item),
                    Err(_) => break, // closed, or the batch is due
                }
            }
            self.in_batch
                .store(batch.len(), crate::sync::real::Ordering::Relaxed);
            self.flush(&mut batch, please_stop);
        }
        // Closed and drained, or asked to stop: close (adds fail from now
        // on) and hand over every item still in the queue.
        self.queue.close();
        let never = Signal::never();
        while let Ok(item) = self.queue.pop_till(&never) {
            batch.push(item);
            if batch.len() == self.batch_size {
                self.in_batch
                    .store(batch.len(), crate::sync::real::Ordering::Relaxed);
                self.flush(&mut batch, please_stop);
            }
        }
        self.in_batch
            .store(batch.len(), crate::sync::real::Ordering::Relaxed);
        self.flush(&mut batch, please_stop);
    }

    /// Sends the batch, retrying; hands it to `on_error` if every try fails.
    fn flush(&mut self, batch: &mut Vec<T>, please_stop: &Signal) {
        if batch.is_empty() {
            return;
        }
        let mut tries = 0;
        let error = loop {
            let outcome = crate::panic::catch(|| (self.sink)(batch).into_result());
            let error: BoxError = match outcome {
                Ok(Ok(())) => {
                    batch.clear();
                    self.in_batch.store(0, crate::sync::real::Ordering::Relaxed);
                    return;
                }
                Ok(Err(error)) => error,
                Err(caught) => format!("the sink panicked: {}", caught.message).into(),
            };
            if tries == self.retries {
                break error;
            }
            tries += 1;
            (please_stop | Till::after(self.retry_pause)).wait();
        };
        let failed = std::mem::replace(batch, Vec::with_capacity(self.batch_size));
        self.in_batch.store(0, crate::sync::real::Ordering::Relaxed);
        match &mut self.on_error {
            Some(on_error) => on_error(failed, error),
            // Not logged here: the thread's failure says it, once, to
            // whoever receives it (see `BatchQueue::finish`).
            None => {
                self.unwritten.items += failed.len();
                self.unwritten.last_error = Some(error);
            }
        }
    }
}

impl<T> Clone for BatchQueue<T> {
    /// Another handle on the same queue; the last one dropped flushes it.
    fn clone(&self) -> BatchQueue<T> {
        BatchQueue {
            shared: self.shared.clone(),
        }
    }
}

impl<T> fmt::Debug for BatchQueue<T> {
    /// `BatchQueue("name", 3 waiting, open)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = if self.is_closed() { "closed" } else { "open" };
        write!(
            f,
            "BatchQueue({:?}, {} waiting, {state})",
            self.name(),
            self.len()
        )
    }
}

impl<T> fmt::Debug for BatchQueueBuilder<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchQueueBuilder")
            .field("name", &self.name)
            .field("batch_size", &self.batch_size)
            .field("max_wait", &self.max_wait)
            .field("capacity", &self.capacity)
            .field("retries", &self.retries)
            .field("retry_pause", &self.retry_pause)
            .field("on_error", &self.on_error.as_ref().map(|_| "custom"))
            .finish()
    }
}
