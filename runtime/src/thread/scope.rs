//! Scoped threads: children that may borrow from the function that starts
//! them, because the scope stops and joins every one of them before it ends.
//!
//! `std::thread::scope` lets threads borrow locals; here they also get a name,
//! a `please_stop` and a place in the tree, and a child that fails without
//! being joined makes the scope fail instead of vanishing.
//!
//! ```
//! use more_threads::{ThreadError, scope};
//!
//! let words = vec!["structured", "concurrency", "for", "threads"];
//! let (short, long) = scope(|scope| {
//!     let short = scope.spawn("short", |_| words.iter().filter(|w| w.len() <= 3).count())?;
//!     let long = scope.spawn("long", |_| words.iter().filter(|w| w.len() > 3).count())?;
//!     Ok::<_, ThreadError>((short.join()?, long.join()?))
//! })??;
//! assert_eq!((short, long), (1, 3));
//! # Ok::<(), ThreadError>(())
//! ```
//!
//! # Guarantees
//!
//! * Every thread started in a scope has ended, and its OS thread has been
//!   joined, before the scope returns, on every path out of it: its end,
//!   an early return, a panic.
//! * At the end, the children that still run are asked to stop, youngest
//!   first, and then joined.
//! * A child that failed and was neither joined nor released makes the scope
//!   fail: [`scope`] returns its error (a panic in the scope's own closure is
//!   resumed after the join, as `std::thread::scope` does).

use super::blocked::Blocked;
use super::builder::{check_name, never_started, run};
use super::claim::Claim;
use super::current;
use super::error::{Cause, ThreadError};
use super::node::{Kind, Node, log_unclaimed};
use super::panic_hook;
use super::worker::{BoxError, Outcome, ThreadName, Worker};
use crate::Signal;
use parking_lot::Mutex;
use std::fmt;
use std::marker::PhantomData;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::Arc;
use std::thread::JoinHandle;

/// A child of a scope, with its OS thread to join (none if it never started).
type Child = (Arc<Node>, Option<JoinHandle<()>>);

/// A started child: its node, and the slot its value arrives in.
type Started<T> = (Arc<Node>, Arc<Mutex<Option<T>>>);

/// What every kind of scope shares: the thread that opened it, and the
/// children it started (with their OS handles, to join them for sure).
struct ScopeCore {
    parent: Arc<Node>,
    children: Mutex<Vec<Child>>,
}

impl ScopeCore {
    fn new() -> ScopeCore {
        ScopeCore {
            parent: current::current(),
            children: Mutex::new(Vec::new()),
        }
    }

    /// Starts a child that may borrow for `'env`.
    ///
    /// # Safety
    ///
    /// [`end`](ScopeCore::end) must run before `'env` ends: it joins every OS
    /// thread started here, and with them every borrow the workers hold.
    unsafe fn spawn<'env, T: Send + 'env>(
        &self,
        name: &str,
        body: impl FnOnce(&Signal) -> Result<T, BoxError> + Send + 'env,
    ) -> Result<Started<T>, ThreadError> {
        check_name(&self.parent, name)?;
        panic_hook::install();
        let node = Node::child(&self.parent, name, Kind::Spawned, None);
        let value = Arc::new(Mutex::new(None));
        let thread_body = {
            let (node, value) = (node.clone(), value.clone());
            move || run(node, value, body)
        };
        let builder = std::thread::Builder::new().name(name.to_owned());
        // SAFETY: the closure borrows for 'env only. `end` joins this OS
        // thread (and so waits for the closure and everything it captured to
        // be gone) before 'env ends, which the caller guarantees; the closure
        // returns `()`, so nothing borrowed outlives it through the result.
        match unsafe { builder.spawn_unchecked(thread_body) } {
            Ok(os_thread) => {
                self.children.lock().push((node.clone(), Some(os_thread)));
                Ok((node, value))
            }
            Err(error) => Err(never_started(&node, error)),
        }
    }

    /// A child that never started: a handle to it joins as `error`, and if
    /// nobody joins it, the scope fails with it. Nothing is lost.
    fn never_started<T>(&self, error: ThreadError) -> Started<T> {
        let name = if error.name().is_empty() {
            "(unnamed)"
        } else {
            error.name()
        };
        let name = name.replace('/', "∕");
        let node = Node::child(&self.parent, &name, Kind::Spawned, None);
        node.finish(Some(error));
        self.children.lock().push((node.clone(), None));
        (node, Arc::new(Mutex::new(None)))
    }

    /// Stops the children still running (youngest first), joins every OS
    /// thread, and returns the failures nobody claimed.
    fn end(&self) -> Vec<ThreadError> {
        let children = std::mem::take(&mut *self.children.lock());
        for (node, _) in children.iter().rev() {
            node.stop();
        }
        let mut failures = Vec::new();
        for (node, os_thread) in children {
            if let Some(os_thread) = os_thread {
                let _blocked = Blocked::Joining(node.path.clone()).enter();
                // The worker's panic was caught on its thread; this only waits.
                let _ = os_thread.join();
            }
            failures.extend(node.settle_in_scope());
        }
        failures
    }

    fn failure(&self, failures: Vec<ThreadError>) -> ThreadError {
        ThreadError::new(
            self.parent.name.clone(),
            self.parent.path.clone(),
            Cause::ScopeFailed,
        )
        .with_children(failures)
    }
}

fn body_of<O, W>(worker: W) -> impl FnOnce(&Signal) -> Result<O::Value, BoxError> + Send
where
    O: Outcome,
    W: Worker<O>,
{
    move |please_stop| worker(please_stop).into_result()
}

/// A scope opened by [`scope`]: start threads that borrow from outside it.
///
/// ```
/// let names = ["a", "b"];
/// more_threads::scope(|scope| {
///     for name in names {
///         scope.spawn(name, move |_| name.len()).unwrap().release();
///     }
/// })
/// .unwrap();
/// ```
pub struct Scope<'scope, 'env: 'scope> {
    core: ScopeCore,
    _scope: PhantomData<&'scope mut &'scope ()>,
    _env: PhantomData<&'env mut &'env ()>,
}

/// Runs `f` with a [`Scope`] whose threads may borrow anything that outlives
/// the call; every one of them has ended when `scope` returns.
///
/// # Errors
///
/// A [`ThreadErrorKind::ChildrenFailed`](crate::ThreadErrorKind::ChildrenFailed)
/// error listing the children that failed and were neither joined nor
/// released; `f`'s own value is then dropped.
///
/// # Panics
///
/// If `f` panics, after every thread has been stopped and joined.
///
/// ```
/// use more_threads::scope;
///
/// let mut totals = [0_u64; 2];
/// let (left, right) = totals.split_at_mut(1);
/// scope(|scope| {
///     scope.spawn("left", |_| left[0] = (1..=10).sum()).unwrap();
///     scope.spawn("right", |_| right[0] = (11..=20).sum()).unwrap();
/// })
/// .unwrap();
/// assert_eq!(totals, [55, 155]);
/// ```
pub fn scope<'env, F, R>(f: F) -> Result<R, ThreadError>
where
    F: for<'scope> FnOnce(&'scope Scope<'scope, 'env>) -> R,
{
    let scope = Scope {
        core: ScopeCore::new(),
        _scope: PhantomData,
        _env: PhantomData,
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| f(&scope)));
    let failures = scope.core.end();
    match outcome {
        Err(panic) => {
            for failure in &failures {
                log_unclaimed(failure);
            }
            resume_unwind(panic)
        }
        Ok(_) if !failures.is_empty() => Err(scope.core.failure(failures)),
        Ok(value) => Ok(value),
    }
}

impl<'scope> Scope<'scope, '_> {
    /// Starts a child of the current thread that may borrow for `'scope`.
    ///
    /// # Errors
    ///
    /// As [`Thread::run`](crate::Thread::run): an invalid name, or the OS
    /// refusing a thread.
    ///
    /// ```
    /// let greeting = String::from("hello");
    /// let length = more_threads::scope(|scope| {
    ///     scope.spawn("measure", |_| greeting.len()).unwrap().join().unwrap()
    /// })
    /// .unwrap();
    /// assert_eq!(length, 5);
    /// ```
    pub fn spawn<O, W, T>(
        &'scope self,
        name: &str,
        worker: W,
    ) -> Result<ScopedThread<'scope, T>, ThreadError>
    where
        O: Outcome<Value = T>,
        W: Worker<O> + 'scope,
        T: Send + 'scope,
    {
        // SAFETY: `scope` calls `end` before returning, and every borrow the
        // worker holds outlives 'scope, which outlives that call.
        let (node, value) = unsafe { self.core.spawn(name, body_of(worker)) }?;
        Ok(ScopedThread::new(node, value))
    }
}

/// A thread started in a scope: join it or release it inside the scope;
/// otherwise the scope's end stops and joins it, and its failure fails the scope.
///
/// ```
/// let data = vec![1, 2, 3];
/// let sum = more_threads::scope(|scope| {
///     let handle = scope.spawn("sum", |_| data.iter().sum::<i32>()).unwrap();
///     handle.join().unwrap()
/// })
/// .unwrap();
/// assert_eq!(sum, 6);
/// ```
#[must_use = "join() it to get its value; a dropped handle's failure fails the scope"]
pub struct ScopedThread<'scope, T> {
    claim: Claim<T>,
    _scope: PhantomData<&'scope ()>,
}

impl<T> ScopedThread<'_, T> {
    fn new(node: Arc<Node>, value: Arc<Mutex<Option<T>>>) -> Self {
        ScopedThread {
            claim: Claim::new(node, value),
            _scope: PhantomData,
        }
    }

    /// The name given at spawn.
    ///
    /// ```
    /// more_threads::scope(|scope| {
    ///     let t = scope.spawn("named", |_| ()).unwrap();
    ///     assert_eq!(t.name(), "named");
    ///     t.join().unwrap();
    /// })
    /// .unwrap();
    /// ```
    pub fn name(&self) -> &str {
        &self.claim.node.name
    }

    /// The path from the root.
    ///
    /// ```
    /// more_threads::scope(|scope| {
    ///     let t = scope.spawn("leaf", |_| ()).unwrap();
    ///     assert!(t.path().ends_with("/leaf"));
    ///     t.join().unwrap();
    /// })
    /// .unwrap();
    /// ```
    pub fn path(&self) -> &str {
        &self.claim.node.path
    }

    /// The thread's stop signal.
    ///
    /// ```
    /// more_threads::scope(|scope| {
    ///     let t = scope.spawn("idle", |please_stop| please_stop.wait()).unwrap();
    ///     t.please_stop().go();
    ///     t.join().unwrap();
    /// })
    /// .unwrap();
    /// ```
    pub fn please_stop(&self) -> &Signal {
        &self.claim.node.please_stop
    }

    /// Goes when the thread has ended and its own children were joined.
    ///
    /// ```
    /// more_threads::scope(|scope| {
    ///     let t = scope.spawn("quick", |_| ()).unwrap();
    ///     t.stopped().wait();
    ///     t.join().unwrap();
    /// })
    /// .unwrap();
    /// ```
    pub fn stopped(&self) -> &Signal {
        &self.claim.node.stopped
    }

    /// Asks the thread and its descendants to stop; does not wait.
    ///
    /// ```
    /// more_threads::scope(|scope| {
    ///     let t = scope.spawn("waiter", |please_stop| please_stop.wait()).unwrap();
    ///     t.stop();
    ///     t.join().unwrap();
    /// })
    /// .unwrap();
    /// ```
    pub fn stop(&self) {
        self.claim.node.stop();
    }

    /// Waits for the thread and returns its value or its failure.
    ///
    /// # Errors
    ///
    /// As [`Thread::join`](crate::Thread::join).
    ///
    /// ```
    /// let n = more_threads::scope(|scope| scope.spawn("four", |_| 4_u8).unwrap().join())
    ///     .unwrap()
    ///     .unwrap();
    /// assert_eq!(n, 4);
    /// ```
    pub fn join(mut self) -> Result<T, ThreadError> {
        self.claim.refuse_deadlock()?;
        self.claim.wait_till(None);
        self.claim.take()
    }

    /// Gives up the result: a failure is logged instead of failing the scope.
    /// The scope's end still stops and joins the thread.
    ///
    /// ```
    /// more_threads::scope(|scope| {
    ///     scope.spawn("background", |please_stop| please_stop.wait()).unwrap().release();
    /// }) // stops and joins "background" here
    /// .unwrap();
    /// ```
    pub fn release(mut self) {
        self.claim.release();
    }
}

impl<T> fmt::Debug for ScopedThread<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ScopedThread({:?})", &*self.claim.node.path)
    }
}

impl fmt::Debug for Scope<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Scope(in {:?})", &*self.core.parent.path)
    }
}

/// The scope behind `scope! { ... }`: a guard instead of a closure, so that
/// `?`, `return` and `break` in the block act on the enclosing function.
///
/// Not for direct use: its soundness rests on the guard never being leaked,
/// which only the macro can promise (it names the guard with a hygienic
/// identifier no user code can reach).
#[doc(hidden)]
pub struct ScopeGuard<'env> {
    core: ScopeCore,
    ended: bool,
    /// Invariant in 'env, and with a `Drop` impl: every borrow a worker holds
    /// for 'env must still be live when the guard drops (dropck), and that
    /// drop joins every thread.
    _env: PhantomData<&'env mut &'env ()>,
}

impl<'env> ScopeGuard<'env> {
    /// Opens a scope in the current thread.
    ///
    /// # Safety
    ///
    /// The guard must be dropped (or [`end`](ScopeGuard::end)ed): never
    /// leaked with `mem::forget`, a reference cycle, or a future that is
    /// forgotten while suspended, since its drop is what joins the threads
    /// before the data they borrow goes away.
    #[doc(hidden)]
    pub unsafe fn new() -> ScopeGuard<'env> {
        ScopeGuard {
            core: ScopeCore::new(),
            ended: false,
            _env: PhantomData,
        }
    }

    /// Starts a child that may borrow for `'env`; a name or spawn the OS
    /// refuses gives a handle whose `join` returns that error.
    #[doc(hidden)]
    pub fn spawn<O, W, T>(&self, name: impl ThreadName, worker: W) -> ScopedThread<'_, T>
    where
        O: Outcome<Value = T>,
        W: Worker<O> + 'env,
        T: Send + 'env,
    {
        // SAFETY: the guard's contract (never leaked) makes its drop, or
        // `end`, run before 'env ends; dropck makes 'env outlive that drop.
        let spawned = unsafe { self.core.spawn(name.thread_name(), body_of(worker)) };
        let (node, value) = spawned.unwrap_or_else(|error| self.core.never_started(error));
        ScopedThread::new(node, value)
    }

    /// The normal end of the block: stops and joins every child, then
    /// settles the block's value against the failures nobody claimed.
    #[doc(hidden)]
    pub fn end<V>(mut self, value: V) -> Settle<V> {
        self.ended = true;
        let failures = self.core.end();
        let failure = (!failures.is_empty()).then(|| self.core.failure(failures));
        Settle {
            value: std::cell::Cell::new(Some(value)),
            failure: std::cell::Cell::new(failure),
        }
    }
}

impl Drop for ScopeGuard<'_> {
    /// An early way out (`?`, `return`, `break`, a panic): every child is
    /// still stopped and joined; failures cannot change the way out, so they
    /// are logged.
    fn drop(&mut self) {
        if !self.ended {
            for failure in self.core.end() {
                log_unclaimed(&failure);
            }
        }
    }
}

impl fmt::Debug for ScopeGuard<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ScopeGuard(in {:?})", &*self.core.parent.path)
    }
}

/// The value of a `scope!` block and the failure of its unjoined children,
/// settled by the block's type: a `Result` whose error can be made from a
/// [`ThreadError`] returns it as `Err`; any other value panics with it.
#[doc(hidden)]
pub struct Settle<V> {
    value: std::cell::Cell<Option<V>>,
    failure: std::cell::Cell<Option<ThreadError>>,
}

impl<V> Settle<V> {
    fn take(&self) -> (V, Option<ThreadError>) {
        match self.value.take() {
            Some(value) => (value, self.failure.take()),
            None => unreachable!("a scope's value is settled once"),
        }
    }
}

/// `scope!` blocks whose value is a `Result<T, E>` with `E: From<ThreadError>`.
#[doc(hidden)]
pub trait SettleAsResult {
    /// The block's type.
    type Output;
    /// The value, or `Err` made from the scope's failure.
    fn settle(&self) -> Self::Output;
}

impl<T, E: From<ThreadError>> SettleAsResult for Settle<Result<T, E>> {
    type Output = Result<T, E>;

    fn settle(&self) -> Result<T, E> {
        match self.take() {
            (_, Some(failure)) => Err(E::from(failure)),
            (value, None) => value,
        }
    }
}

/// Every other `scope!` block: a failure panics (with the scope's error).
#[doc(hidden)]
pub trait SettleOrPanic {
    /// The block's type.
    type Output;
    /// The value, or a panic describing the scope's failure.
    fn settle(&self) -> Self::Output;
}

impl<V> SettleOrPanic for &Settle<V> {
    type Output = V;

    fn settle(&self) -> V {
        match self.take() {
            (_, Some(failure)) => panic!("{failure}"),
            (value, None) => value,
        }
    }
}

impl<V> fmt::Debug for Settle<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Settle")
    }
}
