//! `a | b` and `a & b`: Signals that go when their inputs do.
//!
//! A combined Signal registers one callback on each input. The callback holds
//! only a `Weak` reference to the combination, and the combination holds the
//! registration ids, so dropping the combination (or its going) removes the
//! callbacks from the inputs: nothing accumulates on a long-lived input such
//! as `please_stop`.

use super::StopReason;
use super::{Inner, Label, Signal, Source, Sources};
use crate::sync::{Arc, Weak};

/// How a combined Signal depends on its inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Goes when any input goes: `a | b`.
    Any,
    /// Goes when every input has gone: `a & b`.
    All,
}

impl Mode {
    pub(crate) fn operator(self) -> &'static str {
        match self {
            Mode::Any => "|",
            Mode::All => "&",
        }
    }

    /// What a combination that went (and so let go of its inputs) shows.
    pub(super) fn describe_released(self) -> &'static str {
        match self {
            Mode::Any => "one input went",
            Mode::All => "all inputs went",
        }
    }
}

pub(super) fn combine(mode: Mode, a: &Signal, b: &Signal) -> Signal {
    combine_all(mode, vec![a, b])
}

/// A Signal made of `inputs`, in `mode`.
pub(super) fn combine_all(mode: Mode, inputs: Vec<&Signal>) -> Signal {
    // Short-circuit: a gone input decides (|) or drops out (&) at once; an
    // input that never goes drops out (|) or decides (&).
    let mut live = Vec::with_capacity(inputs.len());
    let mut dropped_out = None;
    for input in inputs {
        match (mode, input.is_go(), input.is_never()) {
            (Mode::Any, true, _) | (Mode::All, _, true) => return input.clone(),
            (Mode::All, true, _) | (Mode::Any, _, true) => dropped_out = Some(input),
            _ => live.push(input),
        }
    }
    match (live.len(), mode) {
        // Every input dropped out: one of them says it all (gone for `&`,
        // never for `|`); with no input at all, the same.
        (0, Mode::Any) => return dropped_out.map_or_else(Signal::never, Signal::clone),
        (0, Mode::All) => return dropped_out.map_or_else(Signal::gone, Signal::clone),
        (1, _) => return live[0].clone(),
        _ => {}
    }
    let combined = Signal::with_label(Label::Combined(mode));
    // Every input is listed before any callback is registered, so an `&`
    // callback that fires early still sees all the inputs it must check.
    combined.inner.state.lock().sources = Sources::new(
        live.iter()
            .map(|input| Source {
                signal: input.inner.clone(),
                registration: None,
            })
            .collect(),
    );
    for (index, input) in live.into_iter().enumerate() {
        let weak = Arc::downgrade(&combined.inner);
        match input.register(Box::new(move || input_went(&weak))) {
            Ok(id) => {
                let mut state = combined.inner.state.lock();
                match state.sources.get_mut(index) {
                    Some(source) if !combined.inner.is_go() => {
                        source.registration = Some(id);
                    }
                    // It went while we registered, and let go of its sources
                    // before this id was recorded: remove it ourselves.
                    _ => {
                        drop(state);
                        input.inner.unregister(id);
                    }
                }
            }
            // The input went while we were building: react as its callback would.
            Err(callback) => callback(),
        }
    }
    combined
}

/// The callback a combined Signal leaves on each input.
fn input_went(combined: &Weak<Inner>) {
    let Some(inner) = combined.upgrade() else {
        return;
    };
    let Label::Combined(mode) = inner.label else {
        unreachable!("only combined Signals register input callbacks");
    };
    let decided = match mode {
        Mode::Any => true,
        // Once the combination went its sources are released and the list is
        // empty: `all` is then vacuously true and `go` is a no-op.
        Mode::All => inner
            .state
            .lock()
            .sources
            .iter()
            .all(|source| source.signal.is_go()),
    };
    if decided {
        // It goes for the reason of the input that went: the one whose
        // callbacks run now, or, for a combination made after an input
        // went (which calls this at once), the first input that has gone.
        let reason = StopReason::handed_down().or_else(|| {
            let gone = inner
                .state
                .lock()
                .sources
                .iter()
                .find(|source| source.signal.is_go())
                .map(|source| source.signal.clone());
            gone.and_then(|input| input.shared_reason())
        });
        match reason {
            Some(reason) => inner.go_for(|| reason),
            None => inner.go(),
        };
    }
}

macro_rules! operator {
    ($trait:ident, $method:ident, $mode:expr, $doc:literal) => {
        operator!(@impl $trait, $method, $mode, $doc, &Signal, &Signal);
        operator!(@impl $trait, $method, $mode, $doc, &Signal, Signal);
        operator!(@impl $trait, $method, $mode, $doc, Signal, &Signal);
        operator!(@impl $trait, $method, $mode, $doc, Signal, Signal);
    };
    (@impl $trait:ident, $method:ident, $mode:expr, $doc:literal, $lhs:ty, $rhs:ty) => {
        impl std::ops::$trait<$rhs> for $lhs {
            type Output = Signal;

            #[doc = $doc]
            fn $method(self, other: $rhs) -> Signal {
                #[allow(clippy::needless_borrow)]
                combine($mode, &self, &other)
            }
        }
    };
}

operator!(
    BitOr,
    bitor,
    Mode::Any,
    "A Signal that goes when either goes: same as [`Signal::or`]."
);
operator!(
    BitAnd,
    bitand,
    Mode::All,
    "A Signal that goes when both have gone: same as [`Signal::and`]."
);
