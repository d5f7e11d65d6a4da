//! The gate in front of a [`Queue`](super::Queue): what decides, between a
//! `close` and racing `add`s and `pop`s, which items are in and when the
//! queue is over.
//!
//! crossbeam-channel can only be disconnected by dropping every sender, and a
//! `Queue`'s clones all share one sender, so closing is ours to build. One
//! atomic word holds a "closed" bit and the number of adders inside the gate:
//!
//! * an adder [`enter`](Gate::enter)s (one `fetch_add`); if the bit was set it
//!   leaves at once and the add fails with the item, otherwise it sends and
//!   then leaves (one `fetch_sub`);
//! * [`close`](Gate::close) sets the bit (one `fetch_or`) and makes `closed`
//!   go, which wakes adders blocked on a full queue so they give up;
//! * whoever sees the word become "closed, nobody inside" (the closer, or the
//!   last adder to leave) makes `sealed` go: from then on no item can ever
//!   enter, and every item that did is already in the channel.
//!
//! All three are read-modify-writes of one word, so they are totally ordered:
//! an adder either entered before the close (and is waited for by the seal)
//! or sees the bit. A popper that finds the channel empty *after* seeing
//! `sealed` knows the queue is closed and drained; see [`pop_now`].

use crate::signal::Signal;
use crate::sync::{AtomicUsize, Ordering};

/// The "closed" bit of [`Gate::state`]; the rest counts adders inside, in
/// steps of [`ADDER`].
const CLOSED: usize = 1;
const ADDER: usize = 2;

/// Admission to a queue: the closed bit, the adders inside, and the two
/// Signals that tell the world about them.
pub(crate) struct Gate {
    state: AtomicUsize,
    /// Goes when `close` is called: blocked adders give up on it.
    pub(crate) closed: Signal,
    /// Goes once closed with nobody inside: no item will ever enter again.
    pub(crate) sealed: Signal,
}

/// An adder inside the gate; leaving (on drop, also on unwind) may seal it.
pub(crate) struct Pass<'a> {
    gate: &'a Gate,
}

impl Gate {
    pub(crate) fn new(name: &str) -> Gate {
        Gate {
            state: AtomicUsize::new(0),
            closed: Signal::named(format!("queue {name:?} closed")),
            sealed: Signal::named(format!("queue {name:?} closed and every add settled")),
        }
    }

    /// Lets an adder in, or returns `None` if the gate is closed.
    #[inline]
    pub(crate) fn enter(&self) -> Option<Pass<'_>> {
        let pass = Pass { gate: self };
        // Acquire pairs with the closer's release: an adder that sees the bit
        // also sees `closed` gone (not needed for safety, only for Debug).
        if self.state.fetch_add(ADDER, Ordering::Acquire) & CLOSED != 0 {
            // Dropping the pass leaves, and seals if we were the last inside.
            drop(pass);
            return None;
        }
        Some(pass)
    }

    /// Closes the gate; returns whether this call closed it.
    pub(crate) fn close(&self) -> bool {
        let before = self.state.fetch_or(CLOSED, Ordering::AcqRel);
        if before & CLOSED != 0 {
            return false;
        }
        self.closed.go();
        if before == 0 {
            // Nobody inside: nothing left to wait for.
            self.sealed.go();
        }
        true
    }

    #[inline]
    pub(crate) fn is_closed(&self) -> bool {
        self.state.load(Ordering::Acquire) & CLOSED != 0
    }

    #[inline]
    pub(crate) fn is_sealed(&self) -> bool {
        self.sealed.is_go()
    }
}

impl Drop for Pass<'_> {
    #[inline]
    fn drop(&mut self) {
        // Release: this adder's send happens-before the seal, and so before
        // any popper that sees `sealed`. Acquire: the last leaver inherits the
        // other adders' releases through the read-modify-write chain.
        let before = self.gate.state.fetch_sub(ADDER, Ordering::AcqRel);
        if before == CLOSED | ADDER {
            // Closed, and we were the last one inside.
            self.gate.close_sealed();
        }
    }
}

impl Gate {
    #[cold]
    fn close_sealed(&self) {
        // The closer made `closed` go before it could have seen anyone inside
        // leave; make sure anyway, so `sealed` never goes before `closed`.
        self.closed.go();
        self.sealed.go();
    }
}

/// What a pop that must not block finds: the decision every pop makes, shared
/// by the [`Queue`](super::Queue) and its loom model.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Now<T> {
    /// An item, taken.
    Item(T),
    /// No item, and the gate is sealed: none will ever come.
    Drained,
    /// No item now; one may still come.
    Empty,
}

/// Takes an item with `try_recv`, or tells whether the queue is drained.
///
/// The order is what makes "drained" true: the seal is read *before* the
/// second look at the channel. Once sealed, every accepted item is already in
/// the channel (the seal happens-after every adder's send), so a channel
/// found empty after that is empty for good.
#[inline]
pub(crate) fn pop_now<T>(gate: &Gate, mut try_recv: impl FnMut() -> Option<T>) -> Now<T> {
    if let Some(item) = try_recv() {
        return Now::Item(item);
    }
    if !gate.is_sealed() {
        return Now::Empty;
    }
    match try_recv() {
        Some(item) => Now::Item(item),
        None => Now::Drained,
    }
}
