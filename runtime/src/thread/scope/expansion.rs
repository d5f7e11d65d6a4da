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
use std::marker::PhantomData;
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
/// The closure puts how the block ended in a slot of the expansion's and
/// returns whether that was the block's end, in the `carrier`'s shape (see
/// [`Carry`]); what comes back is that, or what a macro's hidden `return`
/// returned, for the expansion to return from the enclosing fn.
#[doc(hidden)]
pub fn run_scope<'env, C, F>(_carrier: &C, f: F) -> Outcome<Result<bool, C::Hidden>>
where
    C: Carry,
    F: for<'scope> FnOnce(&'scope Scope<'scope, 'env>) -> C::Carried,
{
    let ended = super::run(f, |carried| !C::ended(carried));
    Outcome {
        exit: Cell::new(Some(C::uncarry(ended.exit))),
        failures: Cell::new(Some(ended.failures)),
    }
}

/// How the block ended, from its slot (set before its closure returned).
#[doc(hidden)]
#[inline]
pub fn taken<R, V, B>(slot: &mut Option<Exit<R, V, B>>) -> Exit<R, V, B> {
    slot.take()
        .expect("scope!'s closure sets its way out before it returns")
}

/// Never called (the expansion calls it under `if false`): its type ties
/// what the block returns early to the enclosing function's return type.
#[doc(hidden)]
pub fn returned<R, V, B>(_slot: &Option<Exit<R, V, B>>) -> R {
    unreachable!("scope!'s expansion never calls this")
}

/// How the closure of a `scope!` returns: whether the block came to its
/// end, as a `bool` (a [`Plain`] carrier), or, when the block holds a macro
/// that may `return` from the enclosing fn on its own (`anyhow::bail!`, a
/// `macro_rules!` that returns `None`), in the shape of that fn's return
/// type (a [`Witness`] of it: `Result<bool, E>`, `Option<bool>`), so that
/// such a hidden `return Err(e)` or `return None` is a value of the
/// closure's type too.
#[doc(hidden)]
pub trait Carry {
    /// The closure's return type.
    type Carried;
    /// What a hidden `return` in the block returned.
    type Hidden;
    /// Whether the block came to its end, in this shape.
    fn carry(ended: bool) -> Self::Carried;
    /// Whether the block came to its end, or what a hidden `return` returned.
    fn uncarry(carried: Self::Carried) -> Result<bool, Self::Hidden>;
    /// Whether the block came to its end (`false` for a hidden `return`).
    fn ended(carried: &Self::Carried) -> bool;
}

/// The [`Carry`] of a block whose every way out is its own.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Plain;

impl Carry for Plain {
    type Carried = bool;
    type Hidden = Infallible;

    #[inline]
    fn carry(ended: bool) -> bool {
        ended
    }

    #[inline]
    fn uncarry(carried: bool) -> Result<bool, Infallible> {
        Ok(carried)
    }

    #[inline]
    fn ended(carried: &bool) -> bool {
        *carried
    }
}

/// The enclosing fn's return type `W`, as a value of no size: the expansion
/// ties it to the fn with `if false { return witness.value() }`.
#[doc(hidden)]
pub struct Witness<W>(PhantomData<fn() -> W>);

impl<W> Witness<W> {
    /// A witness of a type still to be inferred.
    #[inline]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Witness<W> {
        Witness(PhantomData)
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
    fn carry(ended: bool) -> W::Carried {
        W::carry(ended)
    }

    #[inline]
    fn uncarry(carried: W::Carried) -> Result<bool, W> {
        W::uncarry(carried)
    }

    #[inline]
    fn ended(carried: &W::Carried) -> bool {
        W::ended(carried)
    }
}

/// Whether the block came to its end, in the shape of `carrier` (the call
/// the expansion makes).
#[doc(hidden)]
#[inline]
pub fn carry<C: Carry>(_carrier: &C, ended: bool) -> C::Carried {
    C::carry(ended)
}

/// The shape of a fn's return type that a macro's hidden `return` fits in:
/// `Result<T, E>` is carried as `Result<bool, E>` (a hidden `return Err(e)`),
/// `Option<T>` as `Option<bool>` (a hidden `return None`), and the other
/// types a fn commonly returns as `bool` (no hidden return can leave with
/// them that a plain block could not).
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "this `scope!` holds a macro that may `return` from the enclosing fn or closure, whose return type is `{Self}`",
    label = "`scope!` carries a macro's early return for a fn that returns a `Result`, an `Option` or a standard type",
    note = "move the macro out of the block, or return a `Result` or an `Option` from the enclosing fn or closure"
)]
pub trait ReturnShape: Sized {
    /// Whether the block came to its end, in this shape.
    type Carried;
    /// Puts `ended` in this shape.
    fn carry(ended: bool) -> Self::Carried;
    /// `ended`, or the hidden return, as a value of this type.
    fn uncarry(carried: Self::Carried) -> Result<bool, Self>;
    /// Whether the block came to its end.
    fn ended(carried: &Self::Carried) -> bool;
}

impl<T, E> ReturnShape for Result<T, E> {
    type Carried = Result<bool, E>;

    #[inline]
    fn carry(ended: bool) -> Result<bool, E> {
        Ok(ended)
    }

    #[inline]
    fn uncarry(carried: Result<bool, E>) -> Result<bool, Result<T, E>> {
        carried.map_err(Err)
    }

    #[inline]
    fn ended(carried: &Result<bool, E>) -> bool {
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
    fn uncarry(carried: Option<bool>) -> Result<bool, Option<T>> {
        carried.ok_or(None)
    }

    #[inline]
    fn ended(carried: &Option<bool>) -> bool {
        carried == &Some(true)
    }
}

macro_rules! plain_shapes {
    ($($ty:ty),* $(,)?) => {$(
        impl ReturnShape for $ty {
            type Carried = bool;

            #[inline]
            fn carry(ended: bool) -> bool {
                ended
            }

            #[inline]
            fn uncarry(carried: bool) -> Result<bool, $ty> {
                Ok(carried)
            }

            #[inline]
            fn ended(carried: &bool) -> bool {
                *carried
            }
        }
    )*};
}

plain_shapes!(
    (),
    bool,
    char,
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    f32,
    f64,
    String,
    std::process::ExitCode,
);

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
