//! Scopes with a policy: a deadline ([`ScopeBuilder::deadline`], or
//! [`ScopeBuilder::move_on_after`] for `None` instead of an error), and
//! races ([`ScopeBuilder::first_success`], [`ScopeBuilder::quorum`]) whose
//! value is what the first children to succeed returned.
//!
//! Java's `StructuredTaskScope` joiners and Trio's `fail_after` /
//! `move_on_after` on plain threads: the scope is the same [`Scope`] (every
//! child ends before it returns, borrows included); the policy decides when
//! the children are asked to stop, and what the scope returns.

use super::core::{Failures, ScopeCore};
use super::{Ended, Scope, ScopedThread, own_error, run_in, with_own_error};
use crate::signal::{Signal, StopReason};
use crate::sync::Arc;
use crate::sync::real::Mutex;
use crate::thread::current;
use crate::thread::error::{Cause, DeadlinePassed, ThreadError};
use crate::thread::node::{Node, log_unclaimed};
use crate::thread::worker::{BoxError, Outcome, ThreadName, Worker};
use crate::till::Till;
use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

/// Opens a scope with a policy: a deadline, a race for the first success,
/// a quorum. `more_threads::scope(f)` is `ScopeBuilder::new().run(f)`; in
/// [`scope!`](macro@crate::scope) the policies are options
/// (`#![deadline = D]`, `#![move_on_after = D]`, `#![first_success]`,
/// `#![quorum = N]`).
///
/// | policy | the children are asked to stop when | the scope returns |
/// |---|---|---|
/// | none ([`run`](ScopeBuilder::run)) | one fails, or the block leaves early | the block's value |
/// | [`first_success`](ScopeBuilder::first_success) | one succeeds | its value; every failure if none did |
/// | [`quorum(n, …)`](ScopeBuilder::quorum) | `n` succeeded | their values, in the order they came |
/// | [`deadline(d)`](ScopeBuilder::deadline), with any of the above | `d` passes | an error naming what each child still running was doing |
/// | [`move_on_after(d)`](ScopeBuilder::move_on_after) | `d` passes | `None` once `d` passed, else `Some` |
///
/// In every case the scope returns only once every child has ended.
/// Failures beat the deadline, and the deadline beats success: a scope
/// whose child failed returns that failure (the later ones attached) even
/// if its deadline passed too; one whose deadline passed returns
/// [`DeadlinePassed`](crate::thread::ThreadErrorKind::DeadlinePassed) even if
/// its block then returned a value.
///
/// ```
/// use more_threads::thread::ScopeBuilder;
/// use std::time::Duration;
///
/// // Three mirrors hold the same data; keep the first answer.
/// let mirrors = [("slow", 5_000), ("fast", 1), ("dead", 0)];
/// let fastest = ScopeBuilder::new()
///     .deadline(Duration::from_secs(60))
///     .first_success(|race| {
///         for (name, millis) in mirrors {
///             race.spawn(name, move |please_stop| {
///                 if millis == 0 {
///                     return Err("connection refused");
///                 }
///                 let answer = more_threads::Till::after(Duration::from_millis(millis));
///                 (please_stop | &answer).wait();
///                 please_stop.check().map_err(|_| "asked to stop")?;
///                 Ok(name)
///             });
///         }
///     })?;
/// assert_eq!(fastest, "fast");
/// # Ok::<(), more_threads::ThreadError>(())
/// ```
#[must_use = "a ScopeBuilder does nothing until run"]
pub struct ScopeBuilder<D = Fail> {
    deadline: Option<Deadline>,
    _at_deadline: PhantomData<D>,
}

/// A scope's deadline: the Signal, and how to say it.
struct Deadline {
    signal: Signal,
    said: Arc<str>,
}

/// A scope that fails when its deadline passes (see
/// [`ScopeBuilder::deadline`]): it returns its value as it is.
#[derive(Debug, Clone, Copy)]
pub struct Fail;

/// A scope that gives `None` when its deadline passes (see
/// [`ScopeBuilder::move_on_after`]): it returns `Some` of its value.
#[derive(Debug, Clone, Copy)]
pub struct MoveOn;

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Fail {}
    impl Sealed for super::MoveOn {}
    impl Sealed for std::time::Duration {}
    impl Sealed for crate::signal::Signal {}
    impl Sealed for &crate::signal::Signal {}
}

/// What a scope does when its deadline passes: [`Fail`] or [`MoveOn`].
pub trait AtDeadline: sealed::Sealed {
    /// What the scope returns for a value `V`: `V`, or `Option<V>`.
    type Output<V>;

    /// The scope ended in time with `value`.
    #[doc(hidden)]
    fn in_time<V>(value: V) -> Self::Output<V>;

    /// What the scope returns once its deadline passed, if not an error.
    #[doc(hidden)]
    fn moved_on<V>() -> Option<Self::Output<V>>;

    /// The one value of a first-success scope.
    #[doc(hidden)]
    fn first<T>(winners: Self::Output<Vec<T>>) -> Self::Output<T>;
}

impl AtDeadline for Fail {
    type Output<V> = V;

    fn in_time<V>(value: V) -> V {
        value
    }

    fn moved_on<V>() -> Option<V> {
        None
    }

    fn first<T>(winners: Vec<T>) -> T {
        winners
            .into_iter()
            .next()
            .expect("a decided first-success scope has its winner")
    }
}

impl AtDeadline for MoveOn {
    type Output<V> = Option<V>;

    fn in_time<V>(value: V) -> Option<V> {
        Some(value)
    }

    fn moved_on<V>() -> Option<Option<V>> {
        Some(None)
    }

    fn first<T>(winners: Option<Vec<T>>) -> Option<T> {
        winners.and_then(|winners| winners.into_iter().next())
    }
}

/// What a scope that ended with `value` returns: it, unless its deadline
/// passed, which is an error or `None`.
fn finish<D: AtDeadline, V>(
    passed: Option<DeadlinePassed>,
    parent: &Node,
    value: V,
) -> Result<D::Output<V>, ThreadError> {
    match passed {
        None => Ok(D::in_time(value)),
        Some(passed) => gave_up::<D, V>(passed, parent),
    }
}

/// What a scope whose deadline passed returns: `None`, or its error.
fn gave_up<D: AtDeadline, V>(
    passed: DeadlinePassed,
    parent: &Node,
) -> Result<D::Output<V>, ThreadError> {
    D::moved_on().ok_or_else(|| deadline_error(parent, passed))
}

/// A scope's deadline: a [`Duration`] from the scope's start, or a Signal
/// (a [`Till`], or any Signal whose going ends the scope's time).
#[diagnostic::on_unimplemented(
    message = "a scope's deadline is a `Duration` from its start, or a `Signal` such as a `Till`, not `{Self}`",
    label = "a `Duration` or a `Signal` goes here",
    note = "for seconds, write `Duration::from_secs(5)` or `Till::seconds(0.5)`; for a point in time, `Till::at(instant)`"
)]
pub trait IntoDeadline: sealed::Sealed {
    #[doc(hidden)]
    fn into_deadline(self) -> (Signal, Arc<str>);
}

impl IntoDeadline for Duration {
    fn into_deadline(self) -> (Signal, Arc<str>) {
        (
            Till::after(self),
            format!("its deadline of {self:?}").into(),
        )
    }
}

impl IntoDeadline for Signal {
    fn into_deadline(self) -> (Signal, Arc<str>) {
        let said = format!("its deadline ({self})").into();
        (self, said)
    }
}

impl IntoDeadline for &Signal {
    fn into_deadline(self) -> (Signal, Arc<str>) {
        self.clone().into_deadline()
    }
}

impl ScopeBuilder {
    /// A scope with no policy: [`run`](ScopeBuilder::run) is
    /// [`scope`](crate::scope()).
    ///
    /// ```
    /// let three = more_threads::thread::ScopeBuilder::new()
    ///     .run(|scope| scope.spawn("three", |_| 3_u32).join())?;
    /// assert_eq!(three, 3);
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn new() -> ScopeBuilder {
        ScopeBuilder {
            deadline: None,
            _at_deadline: PhantomData,
        }
    }
}

impl Default for ScopeBuilder {
    fn default() -> ScopeBuilder {
        ScopeBuilder::new()
    }
}

impl<D> ScopeBuilder<D> {
    /// When `deadline` passes (a [`Duration`] from now, or a Signal such as a
    /// [`Till`]) before the scope has ended, every child still running is
    /// asked to stop ([`StopReason::Deadline`]), and once they all have
    /// ended the scope fails with
    /// [`DeadlinePassed`](crate::thread::ThreadErrorKind::DeadlinePassed), whose
    /// source says what each of them was doing then. The block itself is not
    /// interrupted: it sees its children stop.
    ///
    /// ```
    /// use more_threads::thread::{ScopeBuilder, ThreadErrorKind};
    /// use std::time::Duration;
    ///
    /// let error = ScopeBuilder::new()
    ///     .deadline(Duration::from_millis(10))
    ///     .run(|scope| {
    ///         scope.spawn("stuck", |please_stop| please_stop.wait());
    ///     })
    ///     .unwrap_err();
    /// assert_eq!(error.kind(), ThreadErrorKind::DeadlinePassed);
    /// // What it was doing: "blocked on Signal ..." (or "running", if a busy
    /// // machine had not let it start its wait 10 ms after the spawn).
    /// assert!(format!("{error:#}").contains("main/stuck was "), "{error:#}");
    /// ```
    pub fn deadline(self, deadline: impl IntoDeadline) -> ScopeBuilder<Fail> {
        let (signal, said) = deadline.into_deadline();
        ScopeBuilder {
            deadline: Some(Deadline { signal, said }),
            _at_deadline: PhantomData,
        }
    }

    /// As [`deadline`](ScopeBuilder::deadline), but a scope whose deadline
    /// passed returns `Ok(None)` rather than an error (Trio's
    /// `move_on_after`), and `Ok(Some(value))` when it ended in time. A
    /// child's failure is still an error.
    ///
    /// ```
    /// use more_threads::thread::ScopeBuilder;
    /// use std::time::Duration;
    ///
    /// let gave_up = ScopeBuilder::new()
    ///     .move_on_after(Duration::from_millis(10))
    ///     .run(|scope| scope.spawn("forever", |please_stop| please_stop.wait()).join())?;
    /// assert_eq!(gave_up, None);
    /// let in_time = ScopeBuilder::new()
    ///     .move_on_after(Duration::from_secs(60))
    ///     .run(|scope| scope.spawn("quick", |_| 7).join())?;
    /// assert_eq!(in_time, Some(7));
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn move_on_after(self, deadline: impl IntoDeadline) -> ScopeBuilder<MoveOn> {
        let (signal, said) = deadline.into_deadline();
        ScopeBuilder {
            deadline: Some(Deadline { signal, said }),
            _at_deadline: PhantomData,
        }
    }
}

impl<D: AtDeadline> ScopeBuilder<D> {
    /// Runs `f` as [`scope`](crate::scope()) does, under the deadline if one
    /// was set.
    ///
    /// # Errors
    ///
    /// As [`scope`](crate::scope()); and, under
    /// [`deadline`](ScopeBuilder::deadline), a
    /// [`DeadlinePassed`](crate::thread::ThreadErrorKind::DeadlinePassed)
    /// error when it passed before the scope ended and nothing failed.
    ///
    /// ```
    /// use more_threads::thread::ScopeBuilder;
    /// use std::time::Duration;
    ///
    /// let mut counts = [0_usize; 2];
    /// let [left, right] = &mut counts;
    /// ScopeBuilder::new().deadline(Duration::from_secs(60)).run(|scope| {
    ///     scope.spawn("left", |_| *left = "abc".len());
    ///     scope.spawn("right", |_| *right = "de".len());
    /// })?;
    /// assert_eq!(counts, [3, 2]);
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn run<'env, F, O>(self, f: F) -> Result<D::Output<O::Value>, ThreadError>
    where
        F: for<'scope> FnOnce(&'scope Scope<'scope, 'env>) -> O,
        O: Outcome,
    {
        let (exit, ran) = self.run_with(|scope| f(scope).into_result(), Result::is_err);
        match exit {
            Ok(value) => ran.ended(value),
            Err(own) => ran.failed(own),
        }
    }

    /// Runs `f` as a scope's block under the deadline, if any (`early`
    /// says, from its value, whether it left early): how it ended, and what
    /// decides the scope's value, once every child has ended.
    pub(crate) fn run_with<'env, F, X>(self, f: F, early: impl FnOnce(&X) -> bool) -> (X, Ran<D>)
    where
        F: for<'scope> FnOnce(&'scope Scope<'scope, 'env>) -> X,
    {
        let core = ScopeCore::new(current::current());
        let armed = self.arm(&core);
        let ended = run_in(
            core,
            |scope| {
                let exit = f(scope);
                (exit, scope.core.deadline_has_passed())
            },
            |(exit, _)| early(exit),
        );
        disarm(armed);
        let Ended {
            exit: (exit, passed_before_it_left),
            mut failures,
            parent,
        } = ended;
        let passed = passed(&mut failures, self.deadline.as_ref());
        let ran = Ran {
            failures,
            passed,
            passed_before_it_left,
            parent,
            _at_deadline: PhantomData,
        };
        (exit, ran)
    }

    /// A race: runs `f`, which starts children with
    /// [`Race::spawn`]; the first child to return `Ok` decides the scope, its
    /// value is the scope's, and the others are asked to stop
    /// ([`StopReason::SiblingSucceeded`]) and joined. A failure does not stop
    /// the others (one of them may still succeed); if none succeeds, the
    /// scope fails with every failure gathered (the first, the later ones in
    /// [`ThreadError::later`]). When one did, the failures are logged at
    /// WARN, and a value that came after the first is dropped (logged at
    /// DEBUG).
    ///
    /// # Errors
    ///
    /// Every failure, if no child succeeded; a
    /// [`NotEnoughSuccesses`](crate::thread::ThreadErrorKind::NotEnoughSuccesses)
    /// error if none did and none failed (they all stopped quietly, or none
    /// was started); `f`'s own `Err`; the deadline, as for
    /// [`run`](ScopeBuilder::run).
    ///
    /// ```
    /// use more_threads::thread::ScopeBuilder;
    ///
    /// let first = ScopeBuilder::new().first_success(|race| {
    ///     race.spawn("fails", |_| Err::<u32, _>("no luck"));
    ///     race.spawn("works", |_| Ok::<u32, &str>(42));
    /// })?;
    /// assert_eq!(first, 42);
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn first_success<'env, T, F, O>(self, f: F) -> Result<D::Output<T>, ThreadError>
    where
        T: Send + 'env,
        F: for<'scope> FnOnce(Race<'scope, 'env, T>) -> O,
        O: Outcome<Value = ()>,
    {
        self.race(1, f).map(D::first)
    }

    /// A quorum: as [`first_success`](ScopeBuilder::first_success), but the
    /// scope is decided by the `n`th success, and its value is the first
    /// `n` values, in the order the children succeeded.
    ///
    /// # Errors
    ///
    /// As [`first_success`](ScopeBuilder::first_success), when fewer than
    /// `n` children succeeded.
    ///
    /// # Panics
    ///
    /// If `n` is 0: a scope that needs no success is decided before it
    /// starts.
    ///
    /// ```
    /// use more_threads::thread::ScopeBuilder;
    ///
    /// let replicas = ScopeBuilder::new().quorum(2, |race| {
    ///     for replica in ["a", "b", "c"] {
    ///         race.spawn(replica, move |_| Ok::<_, std::io::Error>(replica));
    ///     }
    /// })?;
    /// assert_eq!(replicas.len(), 2);
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn quorum<'env, T, F, O>(self, n: usize, f: F) -> Result<D::Output<Vec<T>>, ThreadError>
    where
        T: Send + 'env,
        F: for<'scope> FnOnce(Race<'scope, 'env, T>) -> O,
        O: Outcome<Value = ()>,
    {
        assert!(n > 0, "a quorum scope needs at least 1 success, not 0");
        self.race(n, f)
    }

    fn race<'env, T, F, O>(self, needed: usize, f: F) -> Result<D::Output<Vec<T>>, ThreadError>
    where
        T: Send + 'env,
        F: for<'scope> FnOnce(Race<'scope, 'env, T>) -> O,
        O: Outcome<Value = ()>,
    {
        let (exit, raced) = self.race_with(needed, |race| f(race).into_result(), Result::is_err);
        match exit {
            Ok(()) => raced.ended(),
            Err(own) => raced.failed(own),
        }
    }

    /// Runs `f` as the block of a race that `needed` successes decide,
    /// under the deadline, if any (`early` says, from its value, whether it
    /// left early): how it ended, and what decides the race, once every
    /// child has ended.
    pub(crate) fn race_with<'env, T, F, X>(
        self,
        needed: usize,
        f: F,
        early: impl FnOnce(&X) -> bool,
    ) -> (X, Raced<D, T>)
    where
        T: Send + 'env,
        F: for<'scope> FnOnce(Race<'scope, 'env, T>) -> X,
    {
        let core = ScopeCore::with_policy(current::current(), false);
        let armed = self.arm(&core);
        let winners = Arc::new(Winners {
            needed,
            values: Mutex::new(Vec::new()),
        });
        let ended = run_in(
            core,
            |scope| {
                let exit = f(Race {
                    scope,
                    winners: winners.clone(),
                });
                let settled =
                    winners.values.lock().len() >= needed || scope.core.deadline_has_passed();
                (exit, settled)
            },
            |(exit, _)| early(exit),
        );
        disarm(armed);
        let Ended {
            exit: (exit, settled_before_it_left),
            mut failures,
            parent,
        } = ended;
        let passed = passed(&mut failures, self.deadline.as_ref());
        let values = std::mem::take(&mut *winners.values.lock());
        let raced = Raced {
            values,
            needed,
            failures,
            passed,
            settled_before_it_left,
            parent,
            _at_deadline: PhantomData,
        };
        (exit, raced)
    }

    /// Puts the deadline, if any, on the scope: the registration to take
    /// off once the scope has ended.
    fn arm(&self, core: &Arc<ScopeCore>) -> Option<(Signal, u64)> {
        let deadline = self.deadline.as_ref()?;
        let of: Arc<str> = format!("the scope in {}", core.parent.path).into();
        let weak = Arc::downgrade(core);
        let callback = Box::new(move || {
            if let Some(core) = weak.upgrade() {
                core.deadline_went(of);
            }
        });
        match deadline.signal.register(callback) {
            Ok(id) => Some((deadline.signal.clone(), id)),
            // Gone already: the scope starts past its deadline.
            Err(callback) => {
                callback();
                None
            }
        }
    }
}

/// Takes the scope's deadline out of `failures`, as the source of its error.
fn passed(failures: &mut Failures, deadline: Option<&Deadline>) -> Option<DeadlinePassed> {
    let still_running = failures.deadline_passed.take()?;
    Some(DeadlinePassed {
        deadline: deadline.map_or_else(|| "its deadline".into(), |deadline| deadline.said.clone()),
        still_running,
    })
}

/// Takes the deadline's callback off its Signal, once the scope has ended:
/// a long Till, or a Signal that never goes, keeps nothing of the scope.
fn disarm(armed: Option<(Signal, u64)>) {
    if let Some((signal, id)) = armed {
        signal.inner.unregister(id);
    }
}

fn deadline_error(parent: &Node, passed: DeadlinePassed) -> ThreadError {
    ThreadError::new(
        parent.name.clone(),
        parent.path.clone(),
        Cause::DeadlinePassed(passed),
    )
}

/// A scope with a deadline (or none) whose every child has ended: what it
/// returns, once its block's way of ending is known.
#[doc(hidden)]
pub struct Ran<D> {
    failures: Failures,
    passed: Option<DeadlinePassed>,
    /// The deadline had passed when the block returned.
    passed_before_it_left: bool,
    parent: Arc<Node>,
    _at_deadline: PhantomData<D>,
}

impl<D: AtDeadline> Ran<D> {
    /// The block ended with `value`: it, unless a child failed that nobody
    /// joined (that failure, the later ones attached) or the deadline
    /// passed (an error, or `None`).
    pub(crate) fn ended<V>(self, value: V) -> Result<D::Output<V>, ThreadError> {
        if self.failures.is_empty() {
            finish::<D, _>(self.passed, &self.parent, value)
        } else {
            Err(self.failures.into_first().expect("failures is not empty"))
        }
    }

    /// The block returned its own `Err`: the first failure in time; or, if
    /// it only says the block was stopped, the deadline that stopped it.
    pub(crate) fn failed<V>(self, own: BoxError) -> Result<D::Output<V>, ThreadError> {
        let own = own_error(&self.parent, own);
        match self.passed {
            // The block gave up because the deadline stopped its children.
            Some(passed) if own.is_stopped() && self.failures.is_empty() => {
                gave_up::<D, _>(passed, &self.parent)
            }
            _ => Err(with_own_error(self.failures, own)),
        }
    }

    /// Whether the scope's outcome was settled before its block left: a
    /// child had failed that nobody joined, or the deadline had passed.
    pub(crate) fn settled_before_it_left(&self) -> bool {
        !self.failures.before.is_empty() || self.passed_before_it_left
    }

    /// The block left by a way out of `scope!` (`?`, `return`, `break`,
    /// `continue`): what the scope returns instead, if its outcome was
    /// settled before (see [`settled_before_it_left`](Ran::settled_before_it_left));
    /// else `None`, the way out stands, and the failures go to the log.
    pub(crate) fn left<V>(self) -> Option<Result<D::Output<V>, ThreadError>> {
        if !self.settled_before_it_left() {
            self.failures.log();
            return None;
        }
        Some(match (self.failures.is_empty(), self.passed) {
            (true, Some(passed)) => gave_up::<D, _>(passed, &self.parent),
            _ => Err(self
                .failures
                .into_first()
                .expect("a scope settled without its deadline has a failure")),
        })
    }
}

/// A race (a first-success or quorum scope) whose every child has ended:
/// what it returns, once its block's way of ending is known.
#[doc(hidden)]
pub struct Raced<D, T> {
    /// The values of the first children to succeed, in the order they came.
    values: Vec<T>,
    needed: usize,
    failures: Failures,
    passed: Option<DeadlinePassed>,
    /// The race was decided, or its deadline had passed, when the block
    /// returned.
    settled_before_it_left: bool,
    parent: Arc<Node>,
    _at_deadline: PhantomData<D>,
}

impl<D: AtDeadline, T> Raced<D, T> {
    /// The block ended: the winners' values if enough children succeeded;
    /// else the deadline's error (or `None`), every failure, or
    /// [`NotEnoughSuccesses`](crate::thread::ThreadErrorKind::NotEnoughSuccesses).
    pub(crate) fn ended(self) -> Result<D::Output<Vec<T>>, ThreadError> {
        let Raced {
            values,
            needed,
            failures,
            passed,
            parent,
            ..
        } = self;
        if values.len() >= needed {
            log_outrun(&parent, failures);
            return finish::<D, _>(None, &parent, values);
        }
        match passed {
            Some(passed) => match gave_up::<D, _>(passed, &parent) {
                Err(deadline) => {
                    let Failures { before, after, .. } = failures;
                    Err(deadline.with_later(before.into_iter().chain(after).collect()))
                }
                moved_on => {
                    log_outrun(&parent, failures);
                    moved_on
                }
            },
            None if !failures.is_empty() => {
                Err(failures.into_first().expect("failures is not empty"))
            }
            None => Err(ThreadError::new(
                parent.name.clone(),
                parent.path.clone(),
                Cause::NotEnoughSuccesses {
                    needed,
                    succeeded: values.len(),
                },
            )),
        }
    }

    /// The block returned its own `Err`: that failure, unless it only says
    /// the block was stopped (the race decided, the deadline passed).
    pub(crate) fn failed(self, own: BoxError) -> Result<D::Output<Vec<T>>, ThreadError> {
        let own = own_error(&self.parent, own);
        if own.is_stopped() {
            self.ended()
        } else {
            Err(with_own_error(self.failures, own))
        }
    }

    /// Whether the race was settled before its block left: decided, or
    /// past its deadline.
    pub(crate) fn settled_before_it_left(&self) -> bool {
        self.settled_before_it_left
    }

    /// The block left by a way out of `scope!`: what the race returns
    /// instead, if it was settled before; else `None`, the way out stands,
    /// and the failures go to the log (they decided nothing).
    pub(crate) fn left(self) -> Option<Result<D::Output<Vec<T>>, ThreadError>> {
        if self.settled_before_it_left {
            return Some(self.ended());
        }
        log_outrun(&self.parent, self.failures);
        None
    }
}

/// The failures of a race that was decided (or moved on) without them: to
/// the log, at WARN (a quiet stop at DEBUG), since they change no outcome.
fn log_outrun(parent: &Node, failures: Failures) {
    for failure in failures.before.iter().chain(&failures.after) {
        if failure.is_stopped() {
            log_unclaimed(failure);
        } else {
            report!(
                Warn,
                "more_threads::thread",
                about: (failure.name(), failure.path()),
                "{failure:#} (the scope in {} did without it)",
                parent.path
            );
        }
    }
}

/// What a race's children share: the values of the first to succeed.
struct Winners<T> {
    needed: usize,
    values: Mutex<Vec<T>>,
}

/// The children of a first-success or quorum scope
/// ([`ScopeBuilder::first_success`], [`ScopeBuilder::quorum`]): each
/// [`spawn`](Race::spawn)ed worker returns its value to the race, and the
/// race's value is the first to come (or the first `n`).
///
/// A `Race` is a handle on its scope: copy it into a child to let it spawn
/// into the race too.
///
/// ```
/// use more_threads::thread::ScopeBuilder;
///
/// let winner = ScopeBuilder::new().first_success(|race| {
///     race.spawn("only", |_| Ok::<_, std::io::Error>("me"));
/// })?;
/// assert_eq!(winner, "me");
/// # Ok::<(), more_threads::ThreadError>(())
/// ```
pub struct Race<'scope, 'env, T> {
    scope: &'scope Scope<'scope, 'env>,
    winners: Arc<Winners<T>>,
}

impl<T> Clone for Race<'_, '_, T> {
    fn clone(&self) -> Self {
        Race {
            scope: self.scope,
            winners: self.winners.clone(),
        }
    }
}

impl<'scope, T: Send + 'scope> Race<'scope, '_, T> {
    /// Starts a child of the race, as [`Scope::spawn`] does, whose `Ok`
    /// value goes to the race (the first `n` decide it) and whose failure
    /// stops no sibling. Its handle joins as `()` once it has ended (or as
    /// its failure, which joining claims, as for any scoped thread).
    ///
    /// ```
    /// use more_threads::thread::ScopeBuilder;
    ///
    /// let first = ScopeBuilder::new().first_success(|race| {
    ///     let handle = race.spawn("answer", |_| Ok::<_, std::io::Error>(42));
    ///     handle.join() // Ok(()): the 42 went to the race
    /// })?;
    /// assert_eq!(first, 42);
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    #[track_caller]
    pub fn spawn<N, O, W>(&self, name: N, worker: W) -> ScopedThread<'scope, ()>
    where
        N: ThreadName,
        O: Outcome<Value = T>,
        W: Worker<O> + 'scope,
    {
        let winners = self.winners.clone();
        let core = self.scope.core.clone();
        self.scope
            .spawn(name, move |please_stop: &Signal| -> Result<(), BoxError> {
                let value = worker(please_stop).into_result()?;
                winners.offer(value, &core);
                Ok(())
            })
    }
}

impl<T> Winners<T> {
    /// A child succeeded with `value`: kept if the race still needs it, and
    /// the one that completes it stops the others.
    fn offer(&self, value: T, core: &ScopeCore) {
        let (decided, late) = {
            let mut values = self.values.lock();
            if values.len() < self.needed {
                values.push(value);
                (values.len() == self.needed, None)
            } else {
                (false, Some(value))
            }
        };
        if decided {
            let sibling = crate::local::current_path();
            core.decide(|| StopReason::SiblingSucceeded { sibling });
        }
        if let Some(late) = late {
            // Dropped outside the lock: its Drop may take its time.
            drop(late);
            report!(
                Debug,
                "more_threads::thread",
                "succeeded after its scope was decided: its value is dropped"
            );
        }
    }
}

impl<T> fmt::Debug for Race<'_, '_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Race(in {:?}, needs {})",
            &*self.scope.core.parent.path, self.winners.needed
        )
    }
}

impl<D> fmt::Debug for ScopeBuilder<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScopeBuilder")
            .field(
                "deadline",
                &self.deadline.as_ref().map(|deadline| &deadline.said),
            )
            .field(
                "at_deadline",
                &std::any::type_name::<D>().rsplit("::").next(),
            )
            .finish()
    }
}
