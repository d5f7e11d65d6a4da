//! What a `scope!` with a policy option (`deadline`, `move_on_after`,
//! `first_success`, `quorum`) expands to: the block runs as the closure of
//! a [`ScopeBuilder`], as a plain `scope!`'s does under [`run_scope`](super::run_scope),
//! and evaluates to the `Result` the builder's method returns, the block's
//! value in it.
//!
//! Its ways out (`?`, `return`, `break`, `continue`, a macro's hidden
//! `return`) act on the enclosing fn or loop once every child has ended, as
//! in a plain block, unless the scope's outcome was settled before the
//! block left: a child had failed that nobody joined, the deadline had
//! passed, or the race was decided. The way out is then most likely what
//! that outcome caused (a `?` on a join that says the child was stopped),
//! and it gives way to it: the scope evaluates to its outcome, as a plain
//! `scope!` panics with a failure from before its way out.

use super::{Carry, Exit};
use crate::thread::error::ThreadError;
use crate::thread::scope::Scope;
use crate::thread::scope::policy::{AtDeadline, Race, Raced, Ran, ScopeBuilder};
use std::cell::Cell;

/// What a scope with a policy returns, once every child has ended, as a
/// function of how its block ended.
#[doc(hidden)]
pub trait Verdict {
    /// What the scope evaluates to when its block's value is a `V`.
    type Of<V>;
    /// Whether the outcome was settled before the block left.
    fn settled_before_it_left(&self) -> bool;
    /// The block came to its end with `value`.
    fn ended<V>(self, value: V) -> Self::Of<V>;
    /// The block left by a way out: the outcome if it was settled before,
    /// else `None` (the way out stands; the failures go to the log).
    fn left<V>(self) -> Option<Self::Of<V>>;
}

impl<D: AtDeadline> Verdict for Ran<D> {
    type Of<V> = Result<D::Output<V>, ThreadError>;

    fn settled_before_it_left(&self) -> bool {
        Ran::settled_before_it_left(self)
    }

    fn ended<V>(self, value: V) -> Self::Of<V> {
        Ran::ended(self, value)
    }

    fn left<V>(self) -> Option<Self::Of<V>> {
        Ran::left(self)
    }
}

/// The [`Verdict`] of a `first_success` block: the first value.
#[doc(hidden)]
pub struct FirstSuccess<D, T>(Raced<D, T>);

impl<D: AtDeadline, T> Verdict for FirstSuccess<D, T> {
    type Of<V> = Result<D::Output<T>, ThreadError>;

    fn settled_before_it_left(&self) -> bool {
        self.0.settled_before_it_left()
    }

    fn ended<V>(self, _: V) -> Self::Of<V> {
        self.0.ended().map(D::first)
    }

    fn left<V>(self) -> Option<Self::Of<V>> {
        self.0.left().map(|raced| raced.map(D::first))
    }
}

/// The [`Verdict`] of a `quorum = n` block: the first `n` values.
#[doc(hidden)]
pub struct Quorum<D, T>(Raced<D, T>);

impl<D: AtDeadline, T> Verdict for Quorum<D, T> {
    type Of<V> = Result<D::Output<Vec<T>>, ThreadError>;

    fn settled_before_it_left(&self) -> bool {
        self.0.settled_before_it_left()
    }

    fn ended<V>(self, _: V) -> Self::Of<V> {
        self.0.ended()
    }

    fn left<V>(self) -> Option<Self::Of<V>> {
        self.0.left()
    }
}

/// A `scope!` with a policy that has ended: how its block ended, and what
/// decides its value, each taken once.
#[doc(hidden)]
pub struct Decided<X, S> {
    exit: Cell<Option<X>>,
    verdict: Cell<Option<S>>,
}

impl<X, S: Verdict> Decided<X, S> {
    fn new(exit: X, verdict: S) -> Decided<X, S> {
        Decided {
            exit: Cell::new(Some(exit)),
            verdict: Cell::new(Some(verdict)),
        }
    }

    /// How the block ended.
    pub fn exit(&self) -> X {
        self.exit.take().expect("a scope's exit is taken once")
    }

    fn verdict(&self) -> S {
        self.verdict
            .take()
            .expect("a scope's verdict is taken once")
    }

    /// Whether a way out the block took stands: nothing settled the scope's
    /// outcome before the block left.
    pub fn stands(&self) -> bool {
        let verdict = self.verdict();
        let stands = !verdict.settled_before_it_left();
        self.verdict.set(Some(verdict));
        stands
    }

    /// A way out that [`stands`](Decided::stands): the failures nobody
    /// joined go to the log.
    pub fn leaving<Y>(&self, way_out: Y) -> Y {
        let outcome = self.verdict().left::<()>();
        debug_assert!(outcome.is_none(), "scope!'s expansion asks `stands` first");
        way_out
    }

    /// What the scope evaluates to: the outcome for the block's value; or,
    /// for a way out that gave way, the outcome settled before it.
    pub fn value<R, V>(&self, exit: Exit<R, V>) -> S::Of<V> {
        match exit {
            Exit::Value(value) => self.verdict().ended(value),
            _ => self.settled(),
        }
    }

    /// What the scope evaluates to when a macro's hidden `return` gave way
    /// to the outcome settled before it; `_slot` ties the block's value type.
    pub fn gave_way<R, V>(&self, _slot: &Option<Exit<R, V>>) -> S::Of<V> {
        self.settled()
    }

    fn settled<V>(&self) -> S::Of<V> {
        self.verdict()
            .left()
            .expect("scope!'s expansion drops only a way out that gave way")
    }
}

/// Never called (the expansion calls it under `if false`): ties the type
/// the code around a `deadline` or `move_on_after` block expects to the
/// block's value, before the block is type-checked.
#[doc(hidden)]
pub fn expected_run<D: AtDeadline, R, V>(
    _builder: &ScopeBuilder<D>,
    _slot: &Option<Exit<R, V>>,
) -> Result<D::Output<V>, ThreadError> {
    unreachable!("scope!'s expansion never calls this")
}

/// What a race's block may evaluate to: nothing, `()` (one that ends by
/// leaving is not checked). Its racers' values are the race's.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "a `first_success` or `quorum` block has no value of its own: the race's value is what its racers return",
    label = "the block ends with this `{Self}`: end it with `;`",
    note = "each `spawn` in the block starts a racer, and the race's value is the first `Ok` value of a racer (or the first N, for `#![quorum = N]`)"
)]
pub trait RaceBlock {}

impl RaceBlock for () {}

/// A race's block's value, which it checks is none (the expansion calls it
/// at the block's last statement, so that the error points there).
#[doc(hidden)]
#[inline]
pub fn race_block<V: RaceBlock>(value: V) -> V {
    value
}

/// Runs the block of a `scope!` with a deadline (`deadline` or
/// `move_on_after`) as a scope of `builder`'s: the closure puts how the
/// block ended in a slot of the expansion's and returns whether that was
/// its end, in the `carrier`'s shape (see [`Carry`]).
#[doc(hidden)]
pub fn run<'env, C, D, F>(
    carrier: &C,
    builder: ScopeBuilder<D>,
    f: F,
) -> Decided<Result<bool, C::Hidden>, Ran<D>>
where
    C: Carry,
    D: AtDeadline,
    F: for<'scope> FnOnce(&'scope Scope<'scope, 'env>) -> C::Carried,
{
    let (exit, ran) = builder.run_with(f, |carried| !carrier.ended(carried));
    Decided::new(carrier.uncarry(exit), ran)
}

/// Runs the block of a `first_success` `scope!` as a race of `builder`'s,
/// each `spawn` in it a [`Race::spawn`].
#[doc(hidden)]
pub fn first_success<'env, C, D, T, F>(
    carrier: &C,
    builder: ScopeBuilder<D>,
    f: F,
) -> Decided<Result<bool, C::Hidden>, FirstSuccess<D, T>>
where
    C: Carry,
    D: AtDeadline,
    T: Send + 'env,
    F: for<'scope> FnOnce(Race<'scope, 'env, T>) -> C::Carried,
{
    let (exit, raced) = builder.race_with(1, f, |carried| !carrier.ended(carried));
    Decided::new(carrier.uncarry(exit), FirstSuccess(raced))
}

/// Runs the block of a `quorum = n` `scope!` as a race of `builder`'s that
/// `n` successes decide.
///
/// # Panics
///
/// If `n` is 0, as [`ScopeBuilder::quorum`].
#[doc(hidden)]
#[track_caller]
pub fn quorum<'env, C, D, T, F>(
    carrier: &C,
    builder: ScopeBuilder<D>,
    n: usize,
    f: F,
) -> Decided<Result<bool, C::Hidden>, Quorum<D, T>>
where
    C: Carry,
    D: AtDeadline,
    T: Send + 'env,
    F: for<'scope> FnOnce(Race<'scope, 'env, T>) -> C::Carried,
{
    assert!(n > 0, "a quorum scope needs at least 1 success, not 0");
    let (exit, raced) = builder.race_with(n, f, |carried| !carrier.ended(carried));
    Decided::new(carrier.uncarry(exit), Quorum(raced))
}
