//! Scoped threads: children that may borrow from the function that starts
//! them, because the scope waits for every one of them before it ends.
//!
//! `std::thread::scope` lets threads borrow locals; here they also get a name,
//! a `please_stop` and a place in the tree, the first failure stops the
//! others at once, and a failure nobody joined is the scope's error instead
//! of vanishing.
//!
//! ```
//! use more_threads::{ThreadError, scope};
//!
//! let words = vec!["structured", "concurrency", "for", "threads"];
//! let (short, long) = scope(|scope| {
//!     let short = scope.spawn("short", |_| words.iter().filter(|w| w.len() <= 3).count());
//!     let long = scope.spawn("long", |_| words.iter().filter(|w| w.len() > 3).count());
//!     Ok::<_, ThreadError>((short.join()?, long.join()?))
//! })?;
//! assert_eq!((short, long), (1, 3));
//! # Ok::<(), ThreadError>(())
//! ```
//!
//! # The rules
//!
//! The same for [`scope()`] and `scope!`:
//!
//! | how the block ends | children started with `spawn` | `release`d children |
//! |---|---|---|
//! | its end | waited for | `please_stop`, then joined |
//! | a child fails (a panic or an `Err`) | the others get `please_stop` at once | same |
//! | an early way out: `?`, `return`, `break`, a panic (and, for [`scope()`], an `Err` returned) | `please_stop`, then joined | same |
//! | the enclosing thread is asked to stop | its `please_stop` reaches every child | same |
//!
//! [`scope()`] returns the first failure nobody joined as its `Err` (later
//! ones in [`ThreadError::later`]); `scope!` evaluates to its block's value,
//! of any type, and panics with that failure instead, as
//! `std::thread::scope` does (see [`scope!`](macro@crate::scope)).
//!
//! A child that returns because it was asked to stop, saying so with
//! [`Stopped`](crate::signal::Stopped) (`please_stop.check()?`), has not failed: it
//! never fails a scope on its own.
//!
//! # Guarantees
//!
//! * Every thread started in a scope, including one started by another child
//!   while the scope was ending, has finished with everything it borrowed
//!   before the scope returns, on every way out: its end, an early exit, a
//!   panic, even a panic inside the runtime while ending (which aborts
//!   rather than let a thread outlive its borrows).
//! * Each failure is reported once: to whoever joins the child, or as the
//!   scope's error (the first one, the later ones in
//!   [`ThreadError::later`]; `scope!` panics with it), or, when the way out
//!   cannot carry it (`?`, `return`, `break`, a panic), to the log.

mod core;
pub mod expansion;
pub mod named_worker;
pub mod policy;

pub use policy::{Race, ScopeBuilder};

use self::core::{Failures, ScopeCore, WaitOnUnwind};
use super::claim::Claim;
use super::current;
use super::error::{Cause, ThreadError};
use super::node::Node;
use super::worker::{BoxError, Outcome, ThreadName, Worker};
use crate::signal::Signal;
use crate::signal::Stopped;
use crate::sync::Arc;
use std::fmt;
use std::marker::PhantomData;
use std::panic::{AssertUnwindSafe, Location, catch_unwind, resume_unwind};

/// A scope opened by [`scope`] (or `scope!`): start threads that borrow from
/// outside it.
///
/// ```
/// let names = ["a", "b"];
/// more_threads::scope(|scope| {
///     for name in names {
///         scope.spawn(name, move |_| name.len());
///     }
/// }) // waits for both
/// .unwrap();
/// ```
pub struct Scope<'scope, 'env: 'scope> {
    core: Arc<ScopeCore>,
    _scope: PhantomData<&'scope mut &'scope ()>,
    _env: PhantomData<&'env mut &'env ()>,
}

/// How a scope's block or closure ended, and what its children left behind.
pub(crate) struct Ended<X> {
    pub(crate) exit: X,
    pub(crate) failures: Failures,
    pub(crate) parent: Arc<Node>,
}

/// Runs `f` as a scope's block on the current thread: `early` says, from
/// its value, whether it left early (children are then stopped rather than
/// waited for). Returns once every child has finished; resumes a panic of
/// `f` after that, logging the failures it could not carry.
pub(crate) fn run<'env, F, X>(f: F, early: impl FnOnce(&X) -> bool) -> Ended<X>
where
    F: for<'scope> FnOnce(&'scope Scope<'scope, 'env>) -> X,
{
    run_in(ScopeCore::new(current::current()), f, early)
}

/// [`run`], in a core made for a policy.
pub(crate) fn run_in<'env, F, X>(
    core: Arc<ScopeCore>,
    f: F,
    early: impl FnOnce(&X) -> bool,
) -> Ended<X>
where
    F: for<'scope> FnOnce(&'scope Scope<'scope, 'env>) -> X,
{
    let scope = Scope {
        core,
        _scope: PhantomData,
        _env: PhantomData,
    };
    // From here to the return of `end`, an unwinding waits for the children.
    let waiting = WaitOnUnwind(&scope.core);
    let outcome = catch_unwind(AssertUnwindSafe(|| f(&scope)));
    let left_early = outcome.as_ref().map_or(true, early);
    let failures = scope.core.end(left_early);
    std::mem::forget(waiting);
    match outcome {
        Ok(exit) => Ended {
            exit,
            failures,
            parent: scope.core.parent.clone(),
        },
        Err(panic) => {
            failures.log();
            resume_unwind(panic)
        }
    }
}

/// Runs `f` with a [`Scope`] whose threads may borrow anything that outlives
/// the call; every one of them has finished when `scope` returns.
///
/// `f` returns what a worker returns (an [`Outcome`]): a value, or a
/// `Result` whose `Err` is the scope's own failure. At the end of `f` the
/// scope waits for its children, then stops and joins the released ones;
/// an `Err` (from `?` or not) or a panic stops them all first. See
/// [`scope!`](macro@crate::scope) for the rules, in a table.
///
/// # Errors
///
/// The scope's first failure, with the later ones in
/// [`ThreadError::later`]: a child that failed (a panic or an `Err`) and was
/// not joined, or `f`'s own `Err` (returned as it is when it is a
/// [`ThreadError`], else as a [`ThreadErrorKind::Failed`](crate::thread::ThreadErrorKind::Failed)
/// error naming the scope's thread). An `Err` of `f` that only says it was
/// stopped gives way to a child's failure, which caused it.
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
///     scope.spawn("left", |_| left[0] = (1..=10).sum());
///     scope.spawn("right", |_| right[0] = (11..=20).sum());
/// }) // the end waits for both
/// .unwrap();
/// assert_eq!(totals, [55, 155]);
/// ```
pub fn scope<'env, F, O>(f: F) -> Result<O::Value, ThreadError>
where
    F: for<'scope> FnOnce(&'scope Scope<'scope, 'env>) -> O,
    O: Outcome,
{
    let ended = run(|scope| f(scope).into_result(), Result::is_err);
    let Ended {
        exit,
        failures,
        parent,
    } = ended;
    match exit {
        Ok(value) if failures.is_empty() => Ok(value),
        Ok(_) => Err(failures.into_first().expect("failures is not empty")),
        Err(own) => Err(with_own_error(failures, own_error(&parent, own))),
    }
}

/// The scope's error when its block or closure returned `own`: the first
/// failure in time (a child that failed before the block gave up caused it),
/// unless `own` only says it was stopped, which is no failure of its own.
pub(crate) fn with_own_error(failures: Failures, own: ThreadError) -> ThreadError {
    let Failures { before, after, .. } = failures;
    if own.is_stopped() {
        let failures = Failures {
            before,
            after,
            deadline_passed: None,
        };
        return failures.into_first().unwrap_or(own);
    }
    let mut all = before.into_iter();
    match all.next() {
        Some(first) => first.with_later(all.chain([own]).chain(after).collect()),
        None => own.with_later(after),
    }
}

/// A scope's own `Err` as a [`ThreadError`]: itself if it is one (a join's
/// error passed on with `?`), a quiet stop if it says so, else a failure of
/// the scope in its thread.
pub(crate) fn own_error(parent: &Node, error: BoxError) -> ThreadError {
    match error.downcast::<ThreadError>() {
        Ok(thread_error) => *thread_error,
        Err(error) => match Stopped::find_in(&*error) {
            Some(stopped) => ThreadError::new(
                parent.name.clone(),
                parent.path.clone(),
                Cause::Stopped(stopped.clone().or_because(parent.please_stop.reason())),
            ),
            None => ThreadError::new(
                parent.name.clone(),
                parent.path.clone(),
                Cause::ScopeBody(error),
            ),
        },
    }
}

impl<'scope> Scope<'scope, '_> {
    /// Starts a child of the scope's thread that may borrow for `'scope`,
    /// and returns its handle.
    ///
    /// NAME is a string (`"walker"`, `format!("counter-{i}")`). A name the
    /// tree refuses ([`InvalidName`](crate::thread::ThreadErrorKind::InvalidName)),
    /// or a thread the OS refuses, does not
    /// start: the handle joins as that error (naming the line of the spawn),
    /// and if nobody joins it, it is the scope's failure. Nothing is lost.
    ///
    /// A child may itself spawn into the scope (the scope's end waits for it
    /// too); one spawned once the scope is stopping is asked to stop at once.
    ///
    /// ```
    /// let greeting = String::from("hello");
    /// let length = more_threads::scope(|scope| {
    ///     scope.spawn("measure", |_| greeting.len()).join()
    /// })
    /// .unwrap();
    /// assert_eq!(length, 5);
    /// ```
    #[track_caller]
    pub fn spawn<N, O, W, T>(&'scope self, name: N, worker: W) -> ScopedThread<'scope, T>
    where
        N: ThreadName,
        O: Outcome<Value = T>,
        W: Worker<O> + 'scope,
        T: Send + 'scope,
    {
        let body = move |please_stop: &Signal| worker(please_stop).into_result();
        // SAFETY: `run` holds a `WaitOnUnwind` on this core and calls `end`
        // before it returns, on every path; the worker and its value borrow
        // for 'scope at most, which outlives that call.
        let (index, node, value) = unsafe {
            self.core
                .spawn(name.thread_name(), Location::caller(), body)
        };
        ScopedThread {
            claim: Claim::new(node, value),
            index,
            core: &self.core,
        }
    }
}

/// A thread started in a scope: [`join`](ScopedThread::join) it, or
/// [`release`](ScopedThread::release) it to have the scope's end stop it
/// rather than wait for it. A handle dropped unjoined leaves the thread to
/// the scope: its end waits for it, and its failure is the scope's.
///
/// ```
/// let data = vec![1, 2, 3];
/// let sum = more_threads::scope(|scope| {
///     let handle = scope.spawn("sum", |_| data.iter().sum::<i32>());
///     handle.join()
/// })
/// .unwrap();
/// assert_eq!(sum, 6);
/// ```
pub struct ScopedThread<'scope, T> {
    claim: Claim<T>,
    index: usize,
    core: &'scope ScopeCore,
}

impl<T> ScopedThread<'_, T> {
    handle_accessors! {
        node: claim.node,
        name: r#"more_threads::scope(|scope| {
    let t = scope.spawn("named", |_| ());
    assert_eq!(t.name(), "named");
})
.unwrap();"#,
        path: r#"more_threads::scope(|scope| {
    let t = scope.spawn("leaf", |_| ());
    assert!(t.path().ends_with("/leaf"));
})
.unwrap();"#,
        please_stop: r#"more_threads::scope(|scope| {
    let t = scope.spawn("idle", |please_stop| please_stop.wait());
    t.please_stop().go();
})
.unwrap();"#,
        stopped: r#"more_threads::scope(|scope| {
    let t = scope.spawn("quick", |_| ());
    t.stopped().wait();
    t.join()
})
.unwrap();"#,
        stop: r#"more_threads::scope(|scope| {
    let t = scope.spawn("waiter", |please_stop| please_stop.wait());
    t.stop();
    t.join()
})
.unwrap();"#,
    }

    /// Waits for the thread and returns its value or its failure.
    ///
    /// # Errors
    ///
    /// As [`Thread::join`](crate::Thread::join). A child that returned
    /// because it was stopped (by a sibling's failure, say) joins as
    /// [`ThreadErrorKind::Stopped`](crate::thread::ThreadErrorKind::Stopped).
    ///
    /// ```
    /// let n = more_threads::scope(|scope| scope.spawn("four", |_| 4_u8).join()).unwrap();
    /// assert_eq!(n, 4);
    /// ```
    pub fn join(mut self) -> Result<T, ThreadError> {
        self.claim.refuse_deadlock()?;
        self.claim.wait_till(None)?;
        self.claim.take()
    }

    /// Makes it a background child: the scope's end asks it to stop (then
    /// joins it) instead of waiting for it to finish; its failure still
    /// fails the scope. `release spawn` in `scope!` does this at once.
    ///
    /// ```
    /// more_threads::scope(|scope| {
    ///     scope.spawn("background", |please_stop| please_stop.wait()).release();
    /// }) // stops and joins "background" here
    /// .unwrap();
    /// ```
    pub fn release(self) {
        self.core.release(self.index);
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
