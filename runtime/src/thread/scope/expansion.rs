//! What `scope!` expands to, beside the public [`Scope`](super::Scope): the
//! block becomes a closure run by [`run_scope`], whose value says how the
//! block ended ([`Exit`]); after every child has finished, the code after
//! the scope re-raises that way out (`return`, `break`, `continue`) in the
//! enclosing function or loop, and hands on the block's value as it is.
//!
//! Nothing here depends on the type of the block's value: a failure nobody
//! joined panics at the block's end (as `std::thread::scope` does), and is
//! logged on an early way out, whatever the block evaluates to.
//!
//! `?` inside the block becomes a `match` over [`Branch::branch`], whose
//! residual is turned into the enclosing function's return type by
//! [`FromResidual`], with the same `From` conversion `?` makes. These are
//! stable stand-ins for the unstable `Try` traits, for `Result` and `Option`.
//!
//! The expansion calls these by their full paths (`Outcome::value(&o, v)`),
//! never as methods, so that no trait of the user's can answer instead.
//!
//! Not for direct use: no stability promise.

use super::Scope;
use super::core::Failures;
use std::cell::Cell;
use std::convert::Infallible;
use std::ops::ControlFlow;

/// How a `scope!` block ended: its value, or a way out of the enclosing fn
/// or loop. `Break`, `Continue` and `BreakWith` carry the index of their
/// target, numbered by the macro.
#[doc(hidden)]
#[derive(Debug)]
pub enum Exit<R, V, B> {
    /// The block's value.
    Value(V),
    /// `return R` (or `?`) out of the enclosing fn.
    Return(R),
    /// `break` to the target with this index.
    Break(u16),
    /// `continue` to the target with this index.
    Continue(u16),
    /// `break value` to the target with this index.
    BreakWith(u16, B),
}

/// Runs the block of a `scope!` as a scope, on the current thread: the
/// block's end waits for its children, any other way out stops them first.
#[doc(hidden)]
pub fn run_scope<'env, F, R, V, B>(f: F) -> Outcome<Exit<R, V, B>>
where
    F: for<'scope> FnOnce(&'scope Scope<'scope, 'env>) -> Exit<R, V, B>,
{
    let ended = super::run(f, |exit| !matches!(exit, Exit::Value(_)));
    Outcome {
        exit: Cell::new(Some(ended.exit)),
        failures: Cell::new(Some(ended.failures)),
    }
}

/// A `scope!` that has ended: its way out, and the failures nobody joined,
/// each taken once.
#[doc(hidden)]
pub struct Outcome<X> {
    exit: Cell<Option<X>>,
    failures: Cell<Option<Failures>>,
}

impl<R, V, B> Outcome<Exit<R, V, B>> {
    /// Never called (the expansion calls it under `if false`): its type ties
    /// what the block returns early to the enclosing function's return type.
    pub fn returned(&self) -> R {
        unreachable!("scope!'s expansion never calls this")
    }
}

impl<X> Outcome<X> {
    /// How the block ended.
    pub fn exit(&self) -> X {
        self.exit.take().expect("a scope's exit is taken once")
    }

    /// The block's value, as it is, from an `exit` whose ways out were
    /// re-raised already; a failure nobody joined panics here instead, with
    /// the first failure (the later ones attached), after every child has
    /// finished.
    #[track_caller]
    pub fn value<R, V, B>(&self, exit: Exit<R, V, B>) -> V {
        let Exit::Value(value) = exit else {
            unreachable!("scope!'s expansion re-raises every other way out first")
        };
        match self.failures.take().and_then(Failures::into_first) {
            None => value,
            Some(failure) => {
                // Dropped first, so that the panic below is the failure's;
                // a value whose drop panics cannot hide it (the hook says that panic).
                let _ = crate::panic::catch(move || drop(value));
                panic!("{failure:#}")
            }
        }
    }

    /// A way out of the enclosing fn or loop (`?`, `return`, `break`,
    /// `continue`), which stands: the failures nobody joined go to the log.
    pub fn leaving<Y>(&self, way_out: Y) -> Y {
        if let Some(failures) = self.failures.take() {
            failures.log();
        }
        way_out
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
