//! [`Builder`]: the rarer options of starting a thread.

use super::current;
use super::error::{Cause, ThreadError};
use super::handle::{Thread, ThreadRef};
use super::node::{Kind, Node};
use super::spawn::{Inheritance, check_name, let_go_of_value, never_started, run};
use super::worker::{BoxError, Outcome, Worker};
use crate::signal::Signal;
use crate::sync::Arc;
use crate::sync::real::Mutex;
use std::fmt;
use std::panic::Location;

/// A worker with its outcome split into value or failure, boxed.
type Body<T> = Box<dyn FnOnce(&Signal) -> Result<T, BoxError> + Send>;

/// Options for a new thread; made by [`Thread::builder`].
///
/// ```
/// use more_threads::Thread;
///
/// let parent = Thread::run("parent", |please_stop| please_stop.wait())?;
/// // A child of `parent`, although this thread starts it.
/// let adopted = Thread::builder("adopted")
///     .parent(&parent.thread_ref())
///     .spawn(|please_stop| please_stop.wait())?;
/// assert!(adopted.path().ends_with("/parent/adopted"));
/// adopted.release();
/// parent.stop(); // stops `adopted` too, and waits for it
/// parent.join()?;
/// # Ok::<(), more_threads::ThreadError>(())
/// ```
#[must_use = "a builder does nothing until spawn() or prepare()"]
pub struct Builder {
    name: String,
    parent: Option<ThreadRef>,
    please_stop: Option<Signal>,
    stack_size: Option<usize>,
}

/// A thread ready to start: its worker and options, not yet running.
///
/// ```
/// use more_threads::Thread;
///
/// let prepared = Thread::builder("later").prepare(|_| 42_u32);
/// let stop = prepared.please_stop().clone(); // known before it runs
/// let thread = prepared.start()?;
/// assert_eq!(thread.join()?, 42);
/// assert!(!stop.is_go());
/// # Ok::<(), more_threads::ThreadError>(())
/// ```
#[must_use = "a prepared thread does nothing until start()"]
pub struct Prepared<T> {
    builder: Builder,
    please_stop: Signal,
    body: Body<T>,
}

impl Builder {
    pub(crate) fn new(name: &str) -> Builder {
        Builder {
            name: name.to_owned(),
            parent: None,
            please_stop: None,
            stack_size: None,
        }
    }

    /// Makes the thread a child of `parent` instead of the current thread.
    ///
    /// ```
    /// use more_threads::Thread;
    /// let main = Thread::current();
    /// let t = Thread::builder("t").parent(&main).spawn(|_| ())?;
    /// assert_eq!(t.path(), "main/t");
    /// t.join()?;
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn parent(mut self, parent: &ThreadRef) -> Builder {
        self.parent = Some(parent.clone());
        self
    }

    /// Uses `please_stop` as the thread's stop signal instead of a new one,
    /// so the thread also stops when that Signal goes.
    ///
    /// ```
    /// use more_threads::{Signal, Thread};
    /// let shared_stop = Signal::new();
    /// let t = Thread::builder("t").please_stop(shared_stop.clone()).spawn(|s| s.wait())?;
    /// shared_stop.go();
    /// t.join()?;
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn please_stop(mut self, please_stop: Signal) -> Builder {
        self.please_stop = Some(please_stop);
        self
    }

    /// The stack size of the OS thread, in bytes (the OS may round it up).
    ///
    /// ```
    /// let t = more_threads::Thread::builder("small").stack_size(64 * 1024).spawn(|_| 1_u8)?;
    /// assert_eq!(t.join()?, 1);
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn stack_size(mut self, bytes: usize) -> Builder {
        self.stack_size = Some(bytes);
        self
    }

    /// Starts the thread now.
    ///
    /// # Errors
    ///
    /// [`InvalidName`](crate::thread::ThreadErrorKind::InvalidName) for a name that
    /// is empty, too long, or holds `/` or a character that would rewrite
    /// the lines it is shown in; [`SpawnFailed`](crate::thread::ThreadErrorKind::SpawnFailed)
    /// when the OS refuses a thread.
    ///
    /// ```
    /// use more_threads::{Thread, thread::ThreadErrorKind};
    /// let error = Thread::builder("a/b").spawn(|_| ()).unwrap_err();
    /// assert_eq!(error.kind(), ThreadErrorKind::InvalidName);
    /// ```
    #[track_caller]
    pub fn spawn<O, W, T>(self, worker: W) -> Result<Thread<T>, ThreadError>
    where
        O: Outcome<Value = T>,
        W: Worker<O> + 'static,
        T: Send + 'static,
    {
        let please_stop = self.please_stop.clone();
        self.launch(please_stop, move |please_stop| {
            worker(please_stop).into_result()
        })
    }

    /// Prepares the thread without starting it; [`Prepared::start`] starts it.
    ///
    /// ```
    /// let prepared = more_threads::Thread::builder("p").prepare(|_| "ran");
    /// assert_eq!(prepared.start()?.join()?, "ran");
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn prepare<O, W, T>(mut self, worker: W) -> Prepared<T>
    where
        O: Outcome<Value = T>,
        W: Worker<O> + 'static,
        T: Send + 'static,
    {
        let please_stop = self
            .please_stop
            .take()
            .unwrap_or_else(|| Signal::named(format!("please_stop of {}", self.name)));
        Prepared {
            builder: self,
            please_stop,
            body: Box::new(move |please_stop| worker(please_stop).into_result()),
        }
    }

    #[track_caller]
    fn launch<T: Send + 'static>(
        self,
        please_stop: Option<Signal>,
        body: impl FnOnce(&Signal) -> Result<T, BoxError> + Send + 'static,
    ) -> Result<Thread<T>, ThreadError> {
        let parent = match &self.parent {
            Some(parent) => parent.node().clone(),
            None => current::current(),
        };
        check_name(&parent, &self.name, Location::caller())?;
        let node =
            Node::child(&parent, &self.name, Kind::Spawned, please_stop).map_err(|node| {
                ThreadError::new(
                    node.name.clone(),
                    node.path.clone(),
                    Cause::ParentEnded(parent.path.clone()),
                )
            })?;
        let value = Arc::new(Mutex::new(None));
        let mut os_builder = crate::sync::real::thread::Builder::new().name(self.name);
        if let Some(bytes) = self.stack_size {
            os_builder = os_builder.stack_size(bytes);
        }
        let spawned = {
            let (node, value) = (node.clone(), value.clone());
            let inheritance = Inheritance::capture();
            os_builder.spawn(move || {
                let failure = run(&node, &value, inheritance, body);
                node.finish(failure);
                let_go_of_value(value, &node);
            })
        };
        match spawned {
            Ok(os_thread) => Ok(Thread::from_parts(node, value, os_thread)),
            Err(error) => Err(never_started(&node, error)),
        }
    }
}

impl<T: Send + 'static> Prepared<T> {
    /// The stop signal the thread will be given.
    ///
    /// ```
    /// let prepared = more_threads::Thread::builder("p").prepare(|s| s.wait());
    /// prepared.please_stop().go();
    /// prepared.start()?.join()?; // returns at once: already asked to stop
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn please_stop(&self) -> &Signal {
        &self.please_stop
    }

    /// Starts the thread, as a child of the thread that calls `start` (or of
    /// the parent given to the builder).
    ///
    /// # Errors
    ///
    /// As [`Builder::spawn`].
    ///
    /// ```
    /// let thread = more_threads::Thread::builder("p").prepare(|_| 1_u8).start()?;
    /// assert_eq!(thread.join()?, 1);
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    #[track_caller]
    pub fn start(self) -> Result<Thread<T>, ThreadError> {
        let Prepared {
            builder,
            please_stop,
            body,
        } = self;
        builder.launch(Some(please_stop), body)
    }
}

impl fmt::Debug for Builder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Builder")
            .field("name", &self.name)
            .field("parent", &self.parent)
            .field("please_stop", &self.please_stop)
            .field("stack_size", &self.stack_size)
            .finish()
    }
}

impl<T> fmt::Debug for Prepared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Prepared")
            .field("builder", &self.builder)
            .field("please_stop", &self.please_stop)
            .finish_non_exhaustive()
    }
}
