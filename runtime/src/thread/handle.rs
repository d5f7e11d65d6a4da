//! [`Thread<T>`]: the handle of a running thread, and [`ThreadRef`], a view
//! of any thread in the tree.

use super::builder::Builder;
use super::claim::Claim;
use super::current;
use super::error::ThreadError;
use super::node::Node;
use super::worker::ThreadName;
use super::worker::{Outcome, Worker};
use crate::signal::Signal;
use crate::sync::Arc;
use crate::sync::real::{Mutex, thread};
use crate::thread::node::joining;
use std::fmt;
use std::time::Duration;

/// A thread the runtime started: named, stoppable, and joined or released.
///
/// The handle is the claim on the thread's outcome: [`join`](Thread::join)
/// takes the value or the failure, [`release`](Thread::release) gives the
/// claim up (a failure is then logged). Dropping the handle without either
/// hands the claim to the parent thread, which folds any failure into its
/// own outcome when it ends. Either way the parent stops and waits for the
/// thread before it ends itself.
///
/// ```
/// use more_threads::{Thread, Till};
///
/// let ticker = Thread::run("ticker", |please_stop| {
///     let mut ticks = 0_u64;
///     while !please_stop.is_go() {
///         ticks += 1;
///         (please_stop | Till::seconds(0.001)).wait();
///     }
///     ticks
/// })?;
/// Till::seconds(0.01).wait();
/// ticker.stop();
/// let ticks = ticker.join()?; // as many as fitted before the stop, maybe none
/// println!("{ticks} ticks");
/// # Ok::<(), more_threads::ThreadError>(())
/// ```
#[must_use = "a thread's failure is reported to whoever joins it: join() it, or release() it to have failures logged"]
pub struct Thread<T> {
    claim: Claim<T>,
    os_thread: Option<thread::JoinHandle<()>>,
}

/// A view of any thread in the tree, running or not: its name, path and
/// signals, and a way to stop it. It does not join.
///
/// ```
/// use more_threads::Thread;
///
/// let me = Thread::current();
/// assert!(!me.name().is_empty());
/// assert!(!me.please_stop().is_go());
/// ```
#[derive(Clone)]
pub struct ThreadRef {
    node: Arc<Node>,
}

/// What [`Thread::join_till`] returns when it does not return the value.
///
/// ```
/// use more_threads::{thread::JoinTillError, Thread, Till};
///
/// let failing = Thread::run("failing", |_| Err::<(), _>("broken")).unwrap();
/// match failing.join_till(&Till::seconds(30.0)) {
///     Err(JoinTillError::Failed(error)) => assert!(format!("{error:#}").ends_with("broken")),
///     other => panic!("expected the failure, got {other:?}"),
/// }
/// ```
pub enum JoinTillError<T> {
    /// The thread failed, as [`Thread::join`] would have said.
    Failed(ThreadError),
    /// The till went first; here is the handle back, still running.
    StillRunning(Thread<T>),
}

impl Thread<()> {
    /// The thread this is called from, on any thread: one the runtime
    /// started, the main thread, or one made elsewhere (which gets a name on
    /// first use, and a warning in the log that it should be registered).
    ///
    /// ```
    /// use more_threads::Thread;
    ///
    /// let path = Thread::run("inner", |_| Thread::current().path().to_owned())
    ///     .unwrap()
    ///     .join()
    ///     .unwrap();
    /// assert!(path.ends_with("/inner"));
    /// ```
    pub fn current() -> ThreadRef {
        ThreadRef {
            node: current::current(),
        }
    }

    /// A builder for the rarer options: an explicit parent, a given
    /// `please_stop`, the stack size, or preparing without starting.
    ///
    /// ```
    /// use more_threads::{Signal, Thread};
    ///
    /// let stop_all = Signal::named("stop all");
    /// let worker = Thread::builder("worker")
    ///     .please_stop(stop_all.clone())
    ///     .stack_size(256 * 1024)
    ///     .spawn(|please_stop| please_stop.wait())?;
    /// stop_all.go();
    /// worker.join()?;
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn builder(name: impl ThreadName) -> Builder {
        let name = name.thread_name();
        Builder::new(name)
    }
}

impl<T> Thread<T> {
    /// Starts `worker` on a new thread named `name`, as a child of the
    /// current thread.
    ///
    /// The worker is given the new thread's `please_stop`. The OS thread gets
    /// the name too (truncated to what the OS allows); the runtime keeps it
    /// whole, and the path (`main/crawler/parser-3`).
    ///
    /// # Errors
    ///
    /// [`ThreadErrorKind::SpawnFailed`](crate::thread::ThreadErrorKind::SpawnFailed)
    /// if the OS refuses a new thread (its limits, memory).
    ///
    /// ```
    /// use more_threads::Thread;
    ///
    /// let adder = Thread::run("adder", |_| 2_u32 + 2)?;
    /// assert_eq!(adder.join()?, 4);
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    #[track_caller]
    pub fn run<O, W>(name: impl ThreadName, worker: W) -> Result<Thread<T>, ThreadError>
    where
        O: Outcome<Value = T>,
        W: Worker<O> + 'static,
        T: Send + 'static,
    {
        let name = name.thread_name();
        Builder::new(name).spawn(worker)
    }

    pub(crate) fn from_parts(
        node: Arc<Node>,
        value: Arc<Mutex<Option<T>>>,
        os_thread: thread::JoinHandle<()>,
    ) -> Thread<T> {
        Thread {
            claim: Claim::new(node, value),
            os_thread: Some(os_thread),
        }
    }

    handle_accessors! {
        node: claim.node,
        name: r#"let t = more_threads::Thread::run("named", |_| ()).unwrap();
assert_eq!(t.name(), "named");
t.join().unwrap();"#,
        path: r#"let t = more_threads::Thread::run("leaf", |_| ()).unwrap();
assert!(t.path().ends_with("/leaf"));
t.join().unwrap();"#,
        please_stop: r#"let t = more_threads::Thread::run("idle", |please_stop| please_stop.wait()).unwrap();
t.please_stop().go();
t.join().unwrap();"#,
        stopped: r#"let t = more_threads::Thread::run("quick", |_| ()).unwrap();
t.stopped().wait();
assert!(t.join().is_ok());"#,
        stop: r#"let t = more_threads::Thread::run("waiter", |please_stop| please_stop.wait()).unwrap();
t.stop();
t.join().unwrap();"#,
    }

    /// A [`ThreadRef`] to this thread, to hand to others who may stop it.
    ///
    /// ```
    /// let t = more_threads::Thread::run("t", |please_stop| please_stop.wait()).unwrap();
    /// let view = t.thread_ref();
    /// view.stop();
    /// t.join().unwrap();
    /// ```
    pub fn thread_ref(&self) -> ThreadRef {
        ThreadRef {
            node: self.claim.node.clone(),
        }
    }

    /// Waits for the thread to end and returns its value, or its failure.
    ///
    /// # Errors
    ///
    /// The worker's panic or `Err`, or the failures of children it left
    /// unjoined, with the thread's name and path; or
    /// [`WouldDeadlock`](crate::thread::ThreadErrorKind::WouldDeadlock) when called
    /// from the thread itself or one of its descendants (it would wait
    /// forever), in which case the thread is left running.
    ///
    /// # Panics
    ///
    /// Inside a Signal's `then` callback (documented misuse: a callback must
    /// not block), naming the thread, as `wait` there does; `join_till`
    /// panics there too.
    ///
    /// ```
    /// use more_threads::Thread;
    ///
    /// let failing = Thread::run("failing", |_| Err::<u8, _>("no luck"))?;
    /// let error = failing.join().unwrap_err();
    /// assert!(format!("{error:#}").ends_with("failing failed: no luck"));
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn join(mut self) -> Result<T, ThreadError> {
        self.claim.refuse_deadlock()?;
        // Joining the OS thread is no Signal wait: refuse it here as a
        // Signal's wait refuses itself, instead of hanging.
        crate::signal::refuse_blocking_in_callback(format_args!(
            "join() of thread {}",
            self.claim.node.path
        ));
        if self.os_thread.is_none() {
            self.claim.wait_till(None)?;
            return self.collect();
        }
        // Otherwise joining the OS thread is the wait: it ends after its
        // `stopped` went, and one wake-up is cheaper than two.
        let _waiting = self.claim.check_the_join()?;
        self.collect()
    }

    /// Like [`join`](Thread::join), but gives up when `till` goes, handing
    /// the handle back.
    ///
    /// # Errors
    ///
    /// [`JoinTillError::StillRunning`] with the handle when `till` went first;
    /// [`JoinTillError::Failed`] as [`join`](Thread::join) would fail.
    ///
    /// ```
    /// use more_threads::{thread::JoinTillError, Thread, Till};
    ///
    /// let slow = Thread::run("slow", |please_stop| please_stop.wait())?;
    /// let slow = match slow.join_till(&Till::seconds(0.01)) {
    ///     Err(JoinTillError::StillRunning(handle)) => handle,
    ///     other => panic!("expected a time-out, got {other:?}"),
    /// };
    /// slow.stop();
    /// slow.join()?;
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn join_till(mut self, till: &Signal) -> Result<T, JoinTillError<T>> {
        self.claim
            .refuse_deadlock()
            .map_err(JoinTillError::Failed)?;
        if self
            .claim
            .wait_till(Some(till))
            .map_err(JoinTillError::Failed)?
        {
            self.collect().map_err(JoinTillError::Failed)
        } else {
            Err(JoinTillError::StillRunning(self))
        }
    }

    /// Whether waiting for this thread from the calling thread would never
    /// end: it is the thread itself or one of its descendants.
    pub(crate) fn would_deadlock(&self) -> bool {
        self.claim.refuse_deadlock().is_err()
    }

    /// Takes the outcome of a thread whose `stopped` went.
    fn collect(&mut self) -> Result<T, ThreadError> {
        if let Some(os_thread) = self.os_thread.take() {
            // The worker's panic was caught on that thread, so this only waits.
            let _blocked = joining(self.claim.node.path.clone()).enter();
            let _ = os_thread.join();
        }
        self.claim.take()
    }

    /// Gives up the claim on the thread's outcome: its value is dropped, and
    /// a failure is logged (once, through `log`). The parent still stops and
    /// waits for it before ending.
    ///
    /// ```
    /// let background = more_threads::Thread::run("background", |please_stop| please_stop.wait()).unwrap();
    /// let stop = background.please_stop().clone();
    /// background.release();
    /// stop.go();
    /// ```
    pub fn release(mut self) {
        self.claim.release();
    }
}

impl ThreadRef {
    pub(crate) fn node(&self) -> &Arc<Node> {
        &self.node
    }

    pub(crate) fn from_node(node: Arc<Node>) -> ThreadRef {
        ThreadRef { node }
    }

    handle_accessors! {
        node: node,
        name: r#"assert_eq!(more_threads::Thread::current().name(), "main");"#,
        path: r#"assert_eq!(more_threads::Thread::current().path(), "main");"#,
        please_stop: r#"let please_stop = more_threads::Thread::current().please_stop().clone();
    assert!(!please_stop.is_go());"#,
        stopped: r#"let t = more_threads::Thread::run("t", |_| ()).unwrap();
let view = t.thread_ref();
t.join().unwrap();
assert!(view.stopped().is_go());"#,
        stop: r#"let t = more_threads::Thread::run("t", |please_stop| please_stop.wait()).unwrap();
t.thread_ref().stop();
t.join().unwrap();"#,
    }

    /// The thread's parent; `None` for the root.
    ///
    /// ```
    /// let t = more_threads::Thread::run("child", |_| {
    ///     more_threads::Thread::current().parent().map(|parent| parent.path().to_owned())
    /// })
    /// .unwrap();
    /// assert_eq!(t.join().unwrap().as_deref(), Some("main"));
    /// ```
    pub fn parent(&self) -> Option<ThreadRef> {
        self.node.parent().map(ThreadRef::from_node)
    }

    /// The children it has now: running, or ended with an outcome unclaimed.
    ///
    /// ```
    /// let t = more_threads::Thread::run("parent", |please_stop| {
    ///     let child = more_threads::Thread::run("child", |please_stop| please_stop.wait())?;
    ///     let names: Vec<String> = more_threads::Thread::current()
    ///         .children()
    ///         .iter()
    ///         .map(|child| child.name().to_owned())
    ///         .collect();
    ///     child.stop();
    ///     child.join()?;
    ///     Ok::<_, more_threads::ThreadError>(names)
    /// })
    /// .unwrap();
    /// assert_eq!(t.join().unwrap(), vec!["child"]);
    /// ```
    pub fn children(&self) -> Vec<ThreadRef> {
        self.node
            .children()
            .into_iter()
            .map(ThreadRef::from_node)
            .collect()
    }

    /// How long ago the thread started (or was first seen).
    ///
    /// ```
    /// assert!(more_threads::Thread::current().age() >= std::time::Duration::ZERO);
    /// ```
    pub fn age(&self) -> Duration {
        self.node.started.elapsed()
    }
}

impl<T> fmt::Debug for Thread<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let node = &self.claim.node;
        write!(f, "Thread({:?}, {})", &*node.path, state(node))
    }
}

impl fmt::Debug for ThreadRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ThreadRef({:?}, {})",
            &*self.node.path,
            state(&self.node)
        )
    }
}

fn state(node: &Node) -> &'static str {
    if node.stopped.is_go() {
        "stopped"
    } else if node.please_stop.is_go() {
        "stopping"
    } else {
        "running"
    }
}

impl<T> fmt::Debug for JoinTillError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JoinTillError::Failed(error) => f.debug_tuple("Failed").field(error).finish(),
            JoinTillError::StillRunning(thread) => {
                f.debug_tuple("StillRunning").field(thread).finish()
            }
        }
    }
}

impl<T> fmt::Display for JoinTillError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JoinTillError::Failed(error) => error.fmt(f),
            JoinTillError::StillRunning(thread) => {
                write!(
                    f,
                    "thread {} was still running when the till went",
                    thread.path()
                )
            }
        }
    }
}

impl<T> std::error::Error for JoinTillError<T> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            JoinTillError::Failed(error) => Some(error),
            JoinTillError::StillRunning(_) => None,
        }
    }
}
