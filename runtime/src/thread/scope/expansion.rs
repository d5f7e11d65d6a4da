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
//! A `scope!` with a policy option runs its block under a
//! [`ScopeBuilder`](super::ScopeBuilder) instead ([`policy`]), with the
//! same ways out.
//!
//! Not for direct use: no stability promise.

pub mod policy;

use super::Scope;
use super::core::Failures;
use std::cell::Cell;
use std::convert::Infallible;
use std::marker::PhantomData;
use std::ops::ControlFlow;

/// How a `scope!` block ended: its value, or a way out of the enclosing fn
/// or loop. `Break` and `Continue` carry the index of their target,
/// numbered by the macro; a `break value` puts its value in a slot of its
/// target's own (so that two loops' values may have two types).
#[doc(hidden)]
#[derive(Debug)]
pub enum Exit<R, V> {
    /// The block's value.
    Value(V),
    /// `return R` (or `?`) out of the enclosing fn.
    Return(R),
    /// `break` (with or without a value) to the target with this index.
    Break(u16),
    /// `continue` to the target with this index.
    Continue(u16),
}

/// Runs the block of a `scope!` as a scope, on the current thread: the
/// block's end waits for its children, any other way out stops them first.
/// The closure puts how the block ended in a slot of the expansion's and
/// returns whether that was the block's end, in the `carrier`'s shape (see
/// [`Carry`]); what comes back is that, or what a macro's hidden `return`
/// returned, for the expansion to return from the enclosing fn.
#[doc(hidden)]
pub fn run_scope<'env, C, F>(carrier: &C, f: F) -> Outcome<Result<bool, C::Hidden>>
where
    C: Carry,
    F: for<'scope> FnOnce(&'scope Scope<'scope, 'env>) -> C::Carried,
{
    let ended = super::run(f, |carried| !carrier.ended(carried));
    Outcome {
        exit: Cell::new(Some(carrier.uncarry(ended.exit))),
        failures: Cell::new(Some(ended.failures)),
    }
}

/// Runs a `scope!` block that has no way out but its end (no `?`,
/// `return`, `break`, `continue`, nor a macro that may hold one): its value,
/// once every child has finished; a failure nobody joined panics here, as
/// at the end of any block (see [`Outcome::value`]).
///
/// `_expected` is never read: the expansion ties its type to the type the
/// code around the block expects of it (see [`expected`]) before the
/// closure is type-checked, so that the block's value is coerced to that
/// type as a plain block's is (`Box<Circle>` to the `Box<dyn Shape>` a
/// `let` names).
#[doc(hidden)]
#[track_caller]
pub fn block<'env, F, T>(_expected: &Option<T>, f: F) -> T
where
    F: for<'scope> FnOnce(&'scope Scope<'scope, 'env>) -> T,
{
    let ended = super::run(f, |_| false);
    let outcome = Outcome::<Infallible> {
        exit: Cell::new(None),
        failures: Cell::new(Some(ended.failures)),
    };
    outcome.value(Exit::<Infallible, T>::Value(ended.exit))
}

/// How the block ended, or the value of a `break value` out of it, from its
/// slot (set before its closure returned).
#[doc(hidden)]
#[inline]
pub fn taken<T>(slot: &mut Option<T>) -> T {
    slot.take()
        .expect("scope!'s closure sets its way out before it returns")
}

/// Never called (the expansion calls it under `if false { .. } else { the
/// block }`): its type ties the block's value type to what the code around
/// the block expects, before the block is type-checked.
#[doc(hidden)]
pub fn expected<T>(_slot: &Option<T>) -> T {
    unreachable!("scope!'s expansion never calls this")
}

/// [`expected`], for a block with ways out, whose value is in an [`Exit`].
#[doc(hidden)]
pub fn expected_value<R, V>(_slot: &Option<Exit<R, V>>) -> V {
    unreachable!("scope!'s expansion never calls this")
}

/// Never called (the expansion calls it under `if false`): its type ties
/// what the block returns early to the enclosing function's return type.
#[doc(hidden)]
pub fn returned<R, V>(_slot: &Option<Exit<R, V>>) -> R {
    unreachable!("scope!'s expansion never calls this")
}

/// How the closure of a `scope!` returns: whether the block came to its
/// end, as a `bool` (a [`Plain`] carrier), or, when the block holds a macro
/// that may `return` from the enclosing fn on its own (`anyhow::bail!`, a
/// `macro_rules!` that returns `None` or a value), in the shape of that
/// fn's return type (a [`Witness`] of it), so that such a hidden `return`
/// is a value of the closure's type too.
#[doc(hidden)]
pub trait Carry {
    /// The closure's return type.
    type Carried;
    /// What a hidden `return` in the block returned.
    type Hidden;
    /// Whether the block came to its end, in this shape (the closure's
    /// return value, when it returns on its own).
    fn carry(&self, ended: bool) -> Self::Carried;
    /// Whether the block came to its end, or what a hidden `return` returned.
    fn uncarry(&self, carried: Self::Carried) -> Result<bool, Self::Hidden>;
    /// Whether the block came to its end (`false` for a hidden `return`).
    fn ended(&self, carried: &Self::Carried) -> bool;
}

/// The [`Carry`] of a block whose every way out is its own.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Plain;

impl Carry for Plain {
    type Carried = bool;
    type Hidden = Infallible;

    #[inline]
    fn carry(&self, ended: bool) -> bool {
        ended
    }

    #[inline]
    fn uncarry(&self, carried: bool) -> Result<bool, Infallible> {
        Ok(carried)
    }

    #[inline]
    fn ended(&self, carried: &bool) -> bool {
        *carried
    }
}

/// The enclosing fn's return type `W`, which the expansion ties to the fn
/// with `if false { return witness.value() }`; and what the closure said
/// when it returned on its own, for a shape that cannot hold it (a hidden
/// `return` returns without saying).
#[doc(hidden)]
pub struct Witness<W> {
    said: Cell<Option<bool>>,
    shape: PhantomData<fn() -> W>,
}

impl<W> Witness<W> {
    /// A witness of a type still to be inferred.
    #[inline]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Witness<W> {
        Witness {
            said: Cell::new(None),
            shape: PhantomData,
        }
    }

    /// Never called (the expansion calls it under `if false`).
    pub fn value(&self) -> W {
        unreachable!("scope!'s expansion never calls this")
    }
}

impl<W: ReturnShape> Carry for Witness<W> {
    type Carried = W::Carried;
    type Hidden = W;

    #[inline]
    fn carry(&self, ended: bool) -> W::Carried {
        self.said.set(Some(ended));
        W::carry(ended)
    }

    #[inline]
    fn uncarry(&self, carried: W::Carried) -> Result<bool, W> {
        W::uncarry(carried, self.said.get())
    }

    #[inline]
    fn ended(&self, carried: &W::Carried) -> bool {
        W::ended(carried, self.said.get())
    }
}

/// Whether the block came to its end, in the shape of `carrier` (the call
/// the expansion makes).
#[doc(hidden)]
#[inline]
pub fn carry<C: Carry>(carrier: &C, ended: bool) -> C::Carried {
    carrier.carry(ended)
}

/// The shape of a fn's return type that a macro's hidden `return` fits in:
/// `Result<T, E>` is carried as `Result<bool, E>` (a hidden `return Err(e)`),
/// `Option<T>` as `Option<bool>` (a hidden `return None`), and the standard
/// value types as themselves (a hidden `return vec![]`), the closure
/// returning their `Default` when it returns on its own and saying so
/// (`said`) beside it.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "this `scope!` holds a macro that may `return` from the enclosing fn or closure, whose return type is `{Self}`",
    label = "`scope!` carries a macro's early return for a fn that returns a `Result`, an `Option` or a standard type with a `Default`",
    note = "move the macro out of the block, or return a `Result` or an `Option` from the enclosing fn or closure"
)]
pub trait ReturnShape: Sized {
    /// Whether the block came to its end, in this shape.
    type Carried;
    /// Puts `ended` in this shape.
    fn carry(ended: bool) -> Self::Carried;
    /// Whether the block came to its end, or the hidden return, from what
    /// the closure returned and what it `said` (`None`: a hidden return).
    fn uncarry(carried: Self::Carried, said: Option<bool>) -> Result<bool, Self>;
    /// Whether the block came to its end.
    fn ended(carried: &Self::Carried, said: Option<bool>) -> bool;
}

impl<T, E> ReturnShape for Result<T, E> {
    type Carried = Result<bool, E>;

    #[inline]
    fn carry(ended: bool) -> Result<bool, E> {
        Ok(ended)
    }

    #[inline]
    fn uncarry(carried: Result<bool, E>, _: Option<bool>) -> Result<bool, Result<T, E>> {
        carried.map_err(Err)
    }

    #[inline]
    fn ended(carried: &Result<bool, E>, _: Option<bool>) -> bool {
        matches!(carried, Ok(true))
    }
}

impl<T> ReturnShape for Option<T> {
    type Carried = Option<bool>;

    #[inline]
    fn carry(ended: bool) -> Option<bool> {
        Some(ended)
    }

    #[inline]
    fn uncarry(carried: Option<bool>, _: Option<bool>) -> Result<bool, Option<T>> {
        carried.ok_or(None)
    }

    #[inline]
    fn ended(carried: &Option<bool>, _: Option<bool>) -> bool {
        carried == &Some(true)
    }
}

macro_rules! plain_shapes {
    ($([$($param:ident),*] $ty:ty),* $(,)?) => {$(
        impl<$($param),*> ReturnShape for $ty where $ty: Default {
            type Carried = $ty;

            #[inline]
            fn carry(_: bool) -> $ty {
                Default::default()
            }

            #[inline]
            fn uncarry(carried: $ty, said: Option<bool>) -> Result<bool, $ty> {
                said.ok_or(carried)
            }

            #[inline]
            fn ended(_: &$ty, said: Option<bool>) -> bool {
                said == Some(true)
            }
        }
    )*};
}

crate::thread::std_types::with_std_value_types!(plain_shapes);

/// A `scope!` that has ended: its way out, and the failures nobody joined,
/// each taken once.
#[doc(hidden)]
pub struct Outcome<X> {
    exit: Cell<Option<X>>,
    failures: Cell<Option<Failures>>,
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
    pub fn value<R, V>(&self, exit: Exit<R, V>) -> V {
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
    ///
    /// A child that failed *before* the block left, nobody joining it, most
    /// likely made it leave (a `?` on a sibling its failure stopped): that
    /// failure panics here, as at the block's end, rather than let the way
    /// out hide it; the failures after the block left are logged.
    #[track_caller]
    pub fn leaving<Y>(&self, way_out: Y) -> Y {
        if let Some(failures) = self.failures.take() {
            if failures.before.is_empty() {
                failures.log();
            } else if let Some(first) = failures.into_first() {
                let _ = crate::panic::catch(move || drop(way_out));
                panic!("{first:#}")
            }
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
    note = "inside `scope!`, `?` works on a `Result`, an `Option` or a `ControlFlow`, as in the enclosing function"
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

impl<B, C> Branch for ControlFlow<B, C> {
    type Output = C;
    type Residual = ControlFlow<B, Infallible>;

    #[inline]
    fn branch(self) -> ControlFlow<ControlFlow<B, Infallible>, C> {
        match self {
            ControlFlow::Continue(value) => ControlFlow::Continue(value),
            ControlFlow::Break(value) => ControlFlow::Break(ControlFlow::Break(value)),
        }
    }
}

/// Makes the enclosing function's return value from a `?` residual, with
/// the `From` conversion `?` makes.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "the `?` operator can only be used in a scope whose enclosing function returns `Result`, `Option` or `ControlFlow` (`?` on {R} cannot become `{Self}`)",
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

impl<B, C> FromResidual<ControlFlow<B, Infallible>> for ControlFlow<B, C> {
    #[inline]
    fn from_residual(residual: ControlFlow<B, Infallible>) -> Self {
        match residual {
            ControlFlow::Break(value) => ControlFlow::Break(value),
            ControlFlow::Continue(never) => match never {},
        }
    }
}
