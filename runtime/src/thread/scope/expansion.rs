//! What `scope!` expands to, beside the public [`Scope`](super::Scope): the
//! block becomes a closure run by [`run_scope`], whose value says how the
//! block ended ([`Exit`]); after every child has finished, the code after
//! the scope re-raises that way out (`return`, `break`, `continue`) in the
//! enclosing function or loop, and settles the block's value against the
//! failures nobody joined.
//!
//! `?` inside the block becomes a `match` over [`Branch::branch`], whose
//! residual is turned into the enclosing function's return type by
//! [`FromResidual`], with the same `From` conversion `?` makes. These are
//! stable stand-ins for the unstable `Try` traits, for `Result` and `Option`.
//!
//! Not for direct use: no stability promise.

use super::Scope;
use super::core::Failures;
use crate::sync::Arc;
use crate::thread::error::ThreadError;
use crate::thread::node::Node;
use std::cell::Cell;
use std::convert::Infallible;
use std::ops::ControlFlow;

/// How a `scope!` block ended: its value, or a way out of the enclosing fn
/// or loop. `Break`, `Continue` and `BreakWith` carry the index of their
/// target, numbered by the macro.
#[doc(hidden)]
#[derive(Debug)]
pub enum Exit<R, V, B> {
    /// The block's value, and whether it is an `Err` (which stops the
    /// children rather than waiting for them).
    Value(V, bool),
    /// `return R` (or `?`) out of the enclosing fn.
    Return(R),
    /// `break` to the target with this index.
    Break(u16),
    /// `continue` to the target with this index.
    Continue(u16),
    /// `break value` to the target with this index.
    BreakWith(u16, B),
}

/// Runs the block of a `scope!` as a scope, on the current thread.
#[doc(hidden)]
pub fn run_scope<'env, F, R, V, B>(f: F) -> Outcome<Exit<R, V, B>>
where
    F: for<'scope> FnOnce(&'scope Scope<'scope, 'env>) -> Exit<R, V, B>,
{
    let ended = super::run(f, |exit| !matches!(exit, Exit::Value(_, false)));
    Outcome {
        exit: Cell::new(Some(ended.exit)),
        failures: Cell::new(Some(ended.failures)),
        parent: ended.parent,
    }
}

impl<R, V, B> Outcome<Exit<R, V, B>> {
    /// Never called (the expansion calls it under `if false`): its type ties
    /// what the block returns early to the enclosing function's return type
    /// before the returned value is settled.
    pub fn returned(&self) -> R {
        unreachable!("scope!'s expansion never calls this")
    }
}

/// A `scope!` that has ended: its way out, and the failures nobody joined,
/// each taken once.
#[doc(hidden)]
pub struct Outcome<X> {
    exit: Cell<Option<X>>,
    failures: Cell<Option<Failures>>,
    parent: Arc<Node>,
}

impl<X> Outcome<X> {
    /// How the block ended.
    pub fn exit(&self) -> X {
        self.exit.take().expect("a scope's exit is taken once")
    }

    /// The block's value or returned value, to settle against the failures.
    pub fn settling<Y>(&self, value: Y, early: bool) -> Settling<Y> {
        Settling {
            value: Cell::new(Some(value)),
            failures: Cell::new(self.failures.take()),
            parent: self.parent.clone(),
            early,
        }
    }

    /// A way out that cannot carry a failure (`break`, `continue`): the
    /// failures go to the log.
    pub fn log_failures(&self) {
        if let Some(failures) = self.failures.take() {
            failures.log();
        }
    }
}

/// A value of a `scope!` (or what it returns early) and the failures nobody
/// joined, settled by its type: see [`SettleResult`] and [`SettleOther`].
#[doc(hidden)]
pub struct Settling<X> {
    value: Cell<Option<X>>,
    failures: Cell<Option<Failures>>,
    parent: Arc<Node>,
    early: bool,
}

impl<X> Settling<X> {
    fn take(&self) -> (X, Option<Failures>) {
        let value = self.value.take().expect("a scope's value is settled once");
        let failures = self.failures.take().filter(|failures| !failures.is_empty());
        (value, failures)
    }
}

/// A `Result` whose error can be made from a [`ThreadError`]: the scope's
/// first failure becomes `Err`. The block's own `Err` stays when it came
/// first (what failed after it is logged); when a child failed before it,
/// the child's failure is the scope's error (the block's `Err`, most often
/// a consequence, is noted at DEBUG).
#[doc(hidden)]
pub trait SettleResult {
    /// The value's type.
    type Output;
    /// The value, or `Err` made from the scope's first failure.
    fn settle(&self) -> Self::Output;
}

impl<T, E> SettleResult for &Settling<Result<T, E>>
where
    E: From<ThreadError>,
{
    type Output = Result<T, E>;

    #[track_caller]
    fn settle(&self) -> Result<T, E> {
        match self.take() {
            (value, None) => value,
            (Ok(_), Some(failures)) => Err(E::from(first(failures))),
            (Err(own), Some(failures)) if failures.before.is_empty() => {
                // The block gave up first: what failed after is its consequence.
                failures.log();
                Err(own)
            }
            (Err(_), Some(failures)) => {
                report!(
                    Debug,
                    "more_threads::thread",
                    about: (self.parent.name, self.parent.path),
                    "a scope in {} ended with its own error after a child failed; \
                     the child's failure is the scope's error",
                    self.parent.path,
                );
                Err(E::from(first(failures)))
            }
        }
    }
}

/// Any other value: a failure nobody joined panics with the scope's first
/// failure at the end of the block, and is logged on an early way out.
#[doc(hidden)]
pub trait SettleOther {
    /// The value's type.
    type Output;
    /// The value; panics with the scope's first failure, if any.
    fn settle(&self) -> Self::Output;
}

impl<X> SettleOther for Settling<X> {
    type Output = X;

    #[track_caller]
    fn settle(&self) -> X {
        match self.take() {
            (value, None) => value,
            (value, Some(failures)) if self.early => {
                failures.log();
                value
            }
            (_, Some(failures)) => panic!("{:#}", first(failures)),
        }
    }
}

fn first(failures: Failures) -> ThreadError {
    failures.into_first().expect("settled only when not empty")
}

/// Whether a block's value is an `Err`: `Result`s say; anything else is not.
#[doc(hidden)]
pub struct Probe<'a, V>(pub &'a V);

/// [`Probe`] of a `Result`.
#[doc(hidden)]
pub trait ProbeResult {
    /// Whether the value is an `Err`.
    fn is_err(&self) -> bool;
}

impl<T, E> ProbeResult for &Probe<'_, Result<T, E>> {
    fn is_err(&self) -> bool {
        self.0.is_err()
    }
}

/// [`Probe`] of anything else.
#[doc(hidden)]
pub trait ProbeOther {
    /// Never an `Err`.
    fn is_err(&self) -> bool;
}

impl<V> ProbeOther for Probe<'_, V> {
    fn is_err(&self) -> bool {
        false
    }
}

/// `?` on stable: splits a `Result` or an `Option` into its value or its
/// residual.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "the `?` operator can only be applied to values that implement `Try`",
    label = "the `?` operator cannot be applied to type `{Self}`",
    note = "inside `scope!`, `?` works on a `Result` or an `Option`, as in the enclosing function"
)]
pub trait Branch {
    /// The value `?` evaluates to.
    type Output;
    /// What `?` returns early with.
    type Residual;
    /// The value, or the residual.
    fn branch(self) -> ControlFlow<Self::Residual, Self::Output>;
}

impl<T, E> Branch for Result<T, E> {
    type Output = T;
    type Residual = Result<Infallible, E>;

    #[inline]
    fn branch(self) -> ControlFlow<Result<Infallible, E>, T> {
        match self {
            Ok(value) => ControlFlow::Continue(value),
            Err(error) => ControlFlow::Break(Err(error)),
        }
    }
}

impl<T> Branch for Option<T> {
    type Output = T;
    type Residual = Option<Infallible>;

    #[inline]
    fn branch(self) -> ControlFlow<Option<Infallible>, T> {
        match self {
            Some(value) => ControlFlow::Continue(value),
            None => ControlFlow::Break(None),
        }
    }
}

/// Makes the enclosing function's return value from a `?` residual, with
/// the `From` conversion `?` makes.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "the `?` operator can only be used in a scope whose enclosing function returns `Result` or `Option` (`?` on {R} cannot become `{Self}`)",
    label = "cannot use the `?` operator in a function that returns `{Self}`"
)]
pub trait FromResidual<R> {
    /// The early return value.
    fn from_residual(residual: R) -> Self;
}

impl<T, E, F: From<E>> FromResidual<Result<Infallible, E>> for Result<T, F> {
    #[inline]
    #[track_caller]
    fn from_residual(residual: Result<Infallible, E>) -> Self {
        match residual {
            Err(error) => Err(F::from(error)),
            Ok(never) => match never {},
        }
    }
}

impl<T> FromResidual<Option<Infallible>> for Option<T> {
    #[inline]
    fn from_residual(_: Option<Infallible>) -> Self {
        None
    }
}
