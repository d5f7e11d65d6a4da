//! [`ThreadPool`]: a few named threads that run the work they are given.

use crate::promise::Promise;
use crate::queue::Queue;
use crate::signal::Signal;
use crate::sync::Arc;
use crate::sync::real::Mutex;
use crate::thread::BoxError;
use crate::thread::Outcome;
use crate::thread::Panic;
use crate::thread::Thread;
use crate::thread::ThreadError;
use crate::thread::ThreadName;
use crate::thread::Worker;
use std::error::Error;
use std::fmt;
use std::marker::PhantomData;

#[cfg(all(test, not(loom)))]
mod tests;

/// `threads` named worker threads, children of the thread that made the
/// pool, taking tasks from one queue in the order they were given.
///
/// [`run`](ThreadPool::run) queues a task and returns a [`Task`] handle to
/// join. A task is any [`Worker`]: it is given the pool thread's
/// `please_stop`, and its panic or `Err` comes back through
/// [`Task::join`] as a [`TaskError`], never lost, and never kills the pool
/// thread.
///
/// * [`close`](ThreadPool::close) (and dropping the pool): no new tasks;
///   every queued task still runs; then the pool threads are joined.
/// * [`stop`](ThreadPool::stop): running tasks are asked to stop (their
///   `please_stop` goes); queued tasks never start, and their handles fail
///   with [`TaskErrorKind::NotStarted`]; then the threads are joined.
/// * When the thread that made the pool ends, it stops its children, the
///   pool threads among them: as with `stop`, queued tasks fail with
///   `NotStarted`.
///
/// ```
/// use more_threads::ThreadPool;
///
/// let pool = ThreadPool::new("squares", 2)?;
/// let tasks: Vec<_> = (1..=4_u64)
///     .map(|n| pool.run(&format!("square-{n}"), move |_| n * n))
///     .collect::<Result<_, _>>()?;
/// let squares: Vec<u64> = tasks.into_iter().map(|task| task.join()).collect::<Result<_, _>>()?;
/// assert_eq!(squares, vec![1, 4, 9, 16]);
/// pool.close()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ThreadPool {
    name: Arc<str>,
    jobs: Queue<Job>,
    threads: Vec<Thread<()>>,
}

/// The handle of a task given to a [`ThreadPool`]: join it for the task's
/// value or its failure.
///
/// Dropping the handle does not cancel the task; its value is dropped, and
/// its failure logged (a task that never ran is no failure of its own).
///
/// ```
/// use more_threads::{ThreadPool, Till};
///
/// let pool = ThreadPool::new("pool", 1)?;
/// let task = pool.run("answer", |_| 42_u32)?;
/// assert!(task.wait_till(&Till::seconds(10.0)));
/// assert_eq!(task.join()?, 42);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Task<T> {
    names: Names,
    outcome: Promise<Kept<T>>,
    /// Run if the handle is dropped unjoined: logs the task's failure when
    /// it comes (made where `T` is known to be `Send + 'static`).
    on_drop: Option<Box<dyn FnOnce() + Send>>,
}

/// A task's outcome, kept once by the pool thread that runs the task (or
/// cancels it), taken once by the handle. Behind a mutex so that the promise
/// can be shared for any `T: Send`, as `Sync` would otherwise require.
type Kept<T> = Mutex<Option<Result<T, TaskError>>>;

/// Which task of which pool, for its errors.
#[derive(Clone)]
struct Names {
    task: Arc<str>,
    pool: Arc<str>,
}

/// Why a pool task gave no value: it panicked, it returned an `Err`, or it
/// never started. Names the task and the pool.
///
/// ```
/// use more_threads::{ThreadPool, pool::TaskErrorKind};
///
/// let pool = ThreadPool::new("parsers", 1)?;
/// let task = pool.run("parse", |_| "x".parse::<u8>())?;
/// let error = task.join().unwrap_err();
/// assert_eq!(error.kind(), TaskErrorKind::Failed);
/// assert_eq!(error.to_string(), r#"task "parse" on pool "parsers" failed"#);
/// assert_eq!(
///     format!("{error:#}"), // with its causes, as anyhow's `{:#}`
///     r#"task "parse" on pool "parsers" failed: invalid digit found in string"#
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct TaskError {
    task: Arc<str>,
    pool: Arc<str>,
    cause: TaskCause,
}

enum TaskCause {
    Panicked(Panic),
    Failed(BoxError),
    NotStarted(&'static str),
}

/// The kinds of [`TaskError`].
///
/// ```
/// use more_threads::{pool::TaskErrorKind, ThreadPool};
///
/// let pool = ThreadPool::new("p", 1)?;
/// let task = pool.run("t", |_| -> () { panic!("oops") })?;
/// assert_eq!(task.join().unwrap_err().kind(), TaskErrorKind::Panicked);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TaskErrorKind {
    /// The task panicked; the source is a [`Panic`].
    Panicked,
    /// The task returned an `Err`; the source is that error.
    Failed,
    /// The task never ran: the pool was stopped (or closed) before it started.
    NotStarted,
}

/// Why queued tasks are failed without running.
const STOPPED: &str = "the pool was stopped before the task started";
const CLOSED: &str = "the pool was closed or stopped before the task was queued";
/// Why a task was not queued: its submitter was asked to stop while the
/// pool's queue was full.
const SUBMITTER_STOPPED: &str =
    "the submitting thread was asked to stop while the pool's queue was full";
const ABANDONED: &str = "the pool was dropped before the task started";

/// A queued task, its type erased.
type Job = Box<dyn Pending>;

trait Pending: Send {
    /// Runs the task on this thread and keeps its handle's promise.
    fn run(self: Box<Self>, please_stop: &Signal);
    /// Fails the task's handle without running it.
    fn cancel(self: Box<Self>, why: &'static str);
}

struct Work<W, O: Outcome> {
    worker: Option<W>,
    names: Names,
    /// `None` once kept.
    outcome: Option<Promise<Kept<O::Value>>>,
    outcome_type: PhantomData<fn() -> O>,
}

impl<W, O> Pending for Work<W, O>
where
    O: Outcome,
    O::Value: Send,
    W: Worker<O>,
{
    fn run(mut self: Box<Self>, please_stop: &Signal) {
        let Some(worker) = self.worker.take() else {
            return;
        };
        let outcome = crate::panic::catch(|| worker(please_stop).into_result());
        let result = match outcome {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) => Err(self.names.error(TaskCause::Failed(error))),
            // With its backtrace, when RUST_BACKTRACE asks for one.
            Err(caught) => Err(self.names.error(TaskCause::Panicked(Panic::from(caught)))),
        };
        self.settle(result);
    }

    fn cancel(mut self: Box<Self>, why: &'static str) {
        let error = self.names.error(TaskCause::NotStarted(why));
        self.settle(Err(error));
    }
}

impl<W, O: Outcome> Work<W, O> {
    /// Keeps the handle's promise (and lets go of this side's handle).
    fn settle(&mut self, result: Result<O::Value, TaskError>) {
        if let Some(outcome) = self.outcome.take() {
            // Only this Work assigns it, once: `keep` cannot be refused.
            let _ = outcome.keep(Mutex::new(Some(result)));
        }
    }
}

impl<W, O: Outcome> Drop for Work<W, O> {
    /// A task dropped unrun (the pool's queue dropped with it) still
    /// settles its handle, so nobody waits for it forever.
    fn drop(&mut self) {
        if self.outcome.is_some() {
            let error = self.names.error(TaskCause::NotStarted(ABANDONED));
            self.settle(Err(error));
        }
    }
}

impl Names {
    fn error(&self, cause: TaskCause) -> TaskError {
        TaskError {
            task: self.task.clone(),
            pool: self.pool.clone(),
            cause,
        }
    }
}

impl ThreadPool {
    /// Starts `threads` threads named `{name}-0`, `{name}-1`, ..., children
    /// of the current thread.
    ///
    /// # Errors
    ///
    /// The [`ThreadError`] of a thread that could not start; those already
    /// started are stopped and joined first.
    ///
    /// # Panics
    ///
    /// If `threads` is 0 (naming the pool): such a pool would accept tasks
    /// and never run them.
    ///
    /// ```
    /// let pool = more_threads::ThreadPool::new("io", 4)?;
    /// assert_eq!(pool.threads(), 4);
    /// pool.close()?;
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    ///
    /// ```should_panic
    /// // panics: ThreadPool "idle" needs at least one thread
    /// let _ = more_threads::ThreadPool::new("idle", 0);
    /// ```
    pub fn new(name: impl ThreadName, threads: usize) -> Result<ThreadPool, ThreadError> {
        let name = name.thread_name();
        assert!(
            threads > 0,
            "ThreadPool {name:?} needs at least one thread: with none, its tasks would never run"
        );
        let jobs: Queue<Job> = Queue::new(name.to_owned());
        let mut pool = ThreadPool {
            name: name.into(),
            jobs,
            threads: Vec::with_capacity(threads),
        };
        for index in 0..threads {
            let jobs = pool.jobs.clone();
            let thread = Thread::run(&format!("{name}-{index}"), move |please_stop: &Signal| {
                for job in jobs.iter_till(please_stop) {
                    if please_stop.is_go() {
                        // Taken as the stop came: it has not started, so it never will.
                        job.cancel(STOPPED);
                        break;
                    }
                    job.run(please_stop);
                }
                if please_stop.is_go() {
                    cancel_queued(&jobs);
                }
            });
            match thread {
                Ok(thread) => pool.threads.push(thread),
                Err(error) => {
                    pool.stop_threads();
                    return Err(error);
                }
            }
        }
        Ok(pool)
    }

    /// Queues `worker` as a task named `name`; a pool thread runs it when
    /// free, giving it its `please_stop`. Tasks start in the order they were
    /// queued (they may finish in any order).
    ///
    /// # Errors
    ///
    /// [`TaskErrorKind::NotStarted`] if the pool no longer takes tasks: its
    /// threads were stopped (by [`stop`](ThreadPool::stop) or because the
    /// thread that made the pool ended); or if the calling thread was asked
    /// to stop while a bounded pool's queue was full.
    ///
    /// ```
    /// use more_threads::{Signal, ThreadPool};
    ///
    /// let pool = ThreadPool::new("pool", 1)?;
    /// let started = Signal::new();
    /// let task = {
    ///     let started = started.clone();
    ///     pool.run("patient", move |please_stop| {
    ///         started.go();
    ///         please_stop.wait(); // runs until the pool is stopped
    ///         "stopped"
    ///     })?
    /// };
    /// started.wait();
    /// pool.stop()?;
    /// assert_eq!(task.join()?, "stopped");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn run<O, W>(&self, name: impl ThreadName, worker: W) -> Result<Task<O::Value>, TaskError>
    where
        O: Outcome + 'static,
        O::Value: Send + 'static,
        W: Worker<O> + 'static,
    {
        let name = name.thread_name();
        let names = Names {
            task: name.into(),
            pool: self.name.clone(),
        };
        let outcome = Promise::named(format!("task {name:?} on pool {:?} done", self.name));
        let work: Job = Box::new(Work {
            worker: Some(worker),
            names: names.clone(),
            outcome: Some(outcome.clone()),
            outcome_type: PhantomData::<fn() -> O>,
        });
        let on_drop: Box<dyn FnOnce() + Send> = {
            let outcome = outcome.clone();
            Box::new(move || {
                let taken = outcome.clone();
                outcome.assigned().then(move || {
                    let failure = taken.get().and_then(|kept| kept.lock().take());
                    if let Some(Err(error)) = failure {
                        if error.kind() != TaskErrorKind::NotStarted {
                            report!(Error, "more_threads::pool", "{error:#}");
                        }
                    }
                });
            })
        };
        match self.jobs.add(work) {
            Ok(()) => Ok(Task {
                names,
                outcome,
                on_drop: Some(on_drop),
            }),
            Err(refused) => {
                let why = if refused.is_stopped() {
                    SUBMITTER_STOPPED
                } else {
                    CLOSED
                };
                let work = refused.into_inner();
                work.cancel(why);
                Err(names.error(TaskCause::NotStarted(why)))
            }
        }
    }

    /// The pool's name.
    ///
    /// ```
    /// let pool = more_threads::ThreadPool::new("named", 1)?;
    /// assert_eq!(pool.name(), "named");
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// How many threads the pool has.
    ///
    /// ```
    /// assert_eq!(more_threads::ThreadPool::new("p", 2)?.threads(), 2);
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn threads(&self) -> usize {
        self.threads.len()
    }

    /// How many tasks are queued and not yet started.
    ///
    /// ```
    /// let pool = more_threads::ThreadPool::new("p", 1)?;
    /// assert_eq!(pool.queued(), 0);
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn queued(&self) -> usize {
        self.jobs.len()
    }

    /// Takes no more tasks, lets every queued task run, then joins the
    /// threads.
    ///
    /// # Errors
    ///
    /// A pool thread's failure (tasks' failures go to their handles, so
    /// this means the pool itself broke).
    ///
    /// ```
    /// use more_threads::ThreadPool;
    ///
    /// let pool = ThreadPool::new("p", 1)?;
    /// let task = pool.run("slow", |_| {
    ///     std::thread::sleep(std::time::Duration::from_millis(5));
    ///     1_u32
    /// })?;
    /// pool.close()?; // waits for "slow"
    /// assert_eq!(task.join()?, 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn close(mut self) -> Result<(), ThreadError> {
        self.jobs.close();
        join_in_order(std::mem::take(&mut self.threads))
    }

    /// Stops the pool: running tasks are asked to stop; tasks not yet started
    /// never run, and their handles fail with [`TaskErrorKind::NotStarted`];
    /// then the threads are joined.
    ///
    /// # Errors
    ///
    /// A pool thread's failure, as for [`close`](ThreadPool::close).
    ///
    /// ```
    /// use more_threads::{Signal, pool::TaskErrorKind, ThreadPool};
    ///
    /// let pool = ThreadPool::new("p", 1)?;
    /// let started = Signal::new();
    /// let busy = {
    ///     let started = started.clone();
    ///     pool.run("busy", move |please_stop| {
    ///         started.go();
    ///         please_stop.wait();
    ///     })?
    /// };
    /// let queued = pool.run("queued", |_| ())?;
    /// started.wait(); // "busy" runs; "queued" waits for the only thread
    /// pool.stop()?;
    /// assert!(busy.join().is_ok(), "asked to stop, it returned");
    /// assert_eq!(queued.join().unwrap_err().kind(), TaskErrorKind::NotStarted);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn stop(mut self) -> Result<(), ThreadError> {
        self.stop_threads();
        join_in_order(std::mem::take(&mut self.threads))
    }

    fn stop_threads(&self) {
        // Stop first, so no pool thread starts another task; then fail the
        // queued ones here, without waiting for busy threads to do it.
        for thread in &self.threads {
            thread.stop();
        }
        cancel_queued(&self.jobs);
    }
}

/// Closes the queue and fails every task in it (and every task whose add
/// races the close) as not started.
fn cancel_queued(jobs: &Queue<Job>) {
    jobs.close();
    // After the close, the seal comes as soon as racing adds settle: this
    // wait is short, and `never` only means "no till".
    let never = Signal::new();
    while let Ok(job) = jobs.pop_till(&never) {
        job.cancel(STOPPED);
    }
}

/// Joins every thread, and returns the first failure.
fn join_in_order(threads: Vec<Thread<()>>) -> Result<(), ThreadError> {
    let mut first = Ok(());
    for thread in threads {
        if let Err(error) = thread.join() {
            if first.is_ok() {
                first = Err(error);
            } else {
                report!(Error, "more_threads::queue", about: (error.name(), error.path()), "{error:#}");
            }
        }
    }
    first
}

impl Drop for ThreadPool {
    /// Closes the pool and waits for its queued tasks, as
    /// [`close`](ThreadPool::close) does; a pool thread's failure is logged.
    fn drop(&mut self) {
        if self.threads.is_empty() {
            return;
        }
        self.jobs.close();
        if let Err(error) = join_in_order(std::mem::take(&mut self.threads)) {
            report!(Error, "more_threads::queue", about: (error.name(), error.path()), "{error:#}");
        }
    }
}

impl fmt::Debug for ThreadPool {
    /// `ThreadPool("name", 4 threads, 2 queued)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ThreadPool({:?}, {} threads, {} queued)",
            &*self.name,
            self.threads.len(),
            self.jobs.len()
        )
    }
}

impl<T> Task<T> {
    /// The name given to [`ThreadPool::run`].
    ///
    /// ```
    /// let pool = more_threads::ThreadPool::new("p", 1)?;
    /// assert_eq!(pool.run("named", |_| ())?.name(), "named");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn name(&self) -> &str {
        &self.names.task
    }

    /// The Signal that goes when the task has finished, failed, or was
    /// cancelled: its outcome is ready to join.
    ///
    /// ```
    /// let pool = more_threads::ThreadPool::new("p", 1)?;
    /// let task = pool.run("t", |_| ())?;
    /// task.done().wait();
    /// task.join()?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn done(&self) -> &Signal {
        self.outcome.assigned()
    }

    /// Waits until the task's outcome is ready or `till` goes; returns
    /// whether it is ready.
    ///
    /// ```
    /// use more_threads::{ThreadPool, Till};
    ///
    /// let pool = ThreadPool::new("p", 1)?;
    /// let task = pool.run("long", |please_stop| please_stop.wait())?;
    /// assert!(!task.wait_till(&Till::seconds(0.01)));
    /// pool.stop()?;
    /// assert!(task.wait_till(&Till::seconds(10.0)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn wait_till(&self, till: &Signal) -> bool {
        self.outcome.wait_till(till).is_some()
    }

    /// Waits for the task and returns its value.
    ///
    /// # Errors
    ///
    /// The task's panic or `Err`, or [`TaskErrorKind::NotStarted`] if the
    /// pool was stopped before it ran.
    ///
    /// ```
    /// let pool = more_threads::ThreadPool::new("p", 1)?;
    /// let task = pool.run("boom", |_| -> () { panic!("no") })?;
    /// assert_eq!(task.join().unwrap_err().panic().unwrap().message(), "no");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn join(mut self) -> Result<T, TaskError> {
        self.on_drop = None;
        self.outcome.assigned().wait();
        match self.outcome.get().and_then(|outcome| outcome.lock().take()) {
            Some(result) => result,
            // Unreachable: `done` goes once the outcome is kept, and only
            // this handle takes it. Still no panic in library code.
            None => Err(self.names.error(TaskCause::NotStarted(ABANDONED))),
        }
    }
}

impl<T> Drop for Task<T> {
    fn drop(&mut self) {
        if let Some(on_drop) = self.on_drop.take() {
            on_drop();
        }
    }
}

impl<T> fmt::Debug for Task<T> {
    /// `Task("name", running)` or `Task("name", done)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = if self.outcome.assigned().is_go() {
            "done"
        } else {
            "pending"
        };
        write!(f, "Task({:?}, {state})", &*self.names.task)
    }
}

impl TaskError {
    /// What went wrong.
    ///
    /// ```
    /// use more_threads::{pool::TaskErrorKind, ThreadPool};
    ///
    /// let pool = ThreadPool::new("p", 1)?;
    /// let task = pool.run("t", |_| Err::<(), _>("nope"))?;
    /// assert_eq!(task.join().unwrap_err().kind(), TaskErrorKind::Failed);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn kind(&self) -> TaskErrorKind {
        match self.cause {
            TaskCause::Panicked(_) => TaskErrorKind::Panicked,
            TaskCause::Failed(_) => TaskErrorKind::Failed,
            TaskCause::NotStarted(_) => TaskErrorKind::NotStarted,
        }
    }

    /// The task's name.
    ///
    /// ```
    /// let pool = more_threads::ThreadPool::new("p", 1)?;
    /// let error = pool.run("t", |_| Err::<(), _>("nope"))?.join().unwrap_err();
    /// assert_eq!(error.task(), "t");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn task(&self) -> &str {
        &self.task
    }

    /// The pool's name.
    ///
    /// ```
    /// let pool = more_threads::ThreadPool::new("p", 1)?;
    /// let error = pool.run("t", |_| Err::<(), _>("nope"))?.join().unwrap_err();
    /// assert_eq!(error.pool(), "p");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn pool(&self) -> &str {
        &self.pool
    }

    /// The panic, if the task panicked.
    ///
    /// ```
    /// let pool = more_threads::ThreadPool::new("p", 1)?;
    /// let error = pool.run("t", |_| -> () { panic!("why") })?.join().unwrap_err();
    /// assert_eq!(error.panic().unwrap().message(), "why");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn panic(&self) -> Option<&Panic> {
        match &self.cause {
            TaskCause::Panicked(panic) => Some(panic),
            _ => None,
        }
    }
}

impl fmt::Display for TaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "task {:?} on pool {:?} ", &*self.task, &*self.pool)?;
        match &self.cause {
            TaskCause::Panicked(_) => f.write_str("panicked")?,
            TaskCause::Failed(_) => f.write_str("failed")?,
            TaskCause::NotStarted(why) => write!(f, "never started: {why}")?,
        }
        if f.alternate() {
            crate::error_chain::write_sources(f, self)?;
        }
        Ok(())
    }
}

impl fmt::Debug for TaskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskError")
            .field("task", &self.task)
            .field("pool", &self.pool)
            .field("kind", &self.kind())
            .field("message", &self.to_string())
            .finish()
    }
}

impl Error for TaskError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match &self.cause {
            TaskCause::Panicked(panic) => Some(panic),
            TaskCause::Failed(error) => Some(&**error),
            TaskCause::NotStarted(_) => None,
        }
    }
}
