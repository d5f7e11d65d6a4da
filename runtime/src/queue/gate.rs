//! The gate in front of a [`Queue`](super::Queue): what decides, between a
//! `close` and racing `add`s and `pop`s, which items are in and when the
//! queue is over; and the keeper of the channel's one sender.
//!
//! crossbeam-channel disconnects only when every sender is dropped, and a
//! `Queue`'s clones all share one sender, so closing is ours to build. The
//! gate counts the adders inside it in stripes (a thread counts itself in
//! the stripe it was given, each stripe on a cache line of its own, so that
//! producers on different cores do not fight over one word). Each stripe is
//! one atomic word: the adders inside, a `CLOSED` bit and a `COUNTED` bit.
//!
//! * an adder [`enter`](Gate::enter)s with one `fetch_add` on its stripe; if
//!   the stripe was closed it leaves at once and the add fails with the item,
//!   otherwise it holds a [`Pass`], the only way to the sender, and leaves
//!   with one `fetch_sub`;
//! * [`close`](Gate::close) sets every stripe's `CLOSED` bit, then makes
//!   `closed` go (which wakes adders blocked on a full queue, so they give
//!   up): once `closed` went, no add gets in;
//! * a stripe is *empty* once closed with nobody inside: the one who sees it
//!   become so (the closer, or its last adder leaving) sets `COUNTED` and,
//!   if nobody had, counts it off `open`; whoever counts the last stripe off
//!   seals the gate: it drops the sender, which disconnects the channel
//!   (blocked poppers wake, receive what is left, then learn it is over, all
//!   inside crossbeam), and makes `sealed` go.
//!
//! # Why no item gets in after the seal, and the seal always comes
//!
//! Every decision is a read-modify-write of one word, so on each stripe they
//! are totally ordered: an adder either entered before the stripe's close
//! (and the stripe is not empty until it left) or sees the bit. A stripe
//! becomes empty exactly once with `COUNTED` unset, so `open` is counted
//! down once per stripe, and reaches zero exactly once. The orderings chain
//! the adders' sends to the seal: each count-out releases; the read-modify-
//! writes after it on its stripe carry the release on, up to the one that
//! counts the stripe off `open`, whose count-down the sealer's acquires. No
//! `SeqCst` is needed, which is what lets loom check all of it: the models in
//! `loom_tests.rs` keep the sender in a loom cell, so that a use of the
//! sender racing its drop fails as a data race.

use crate::signal::Signal;
use crate::sync::{
    AtomicBool, AtomicUsize, MODELED, Ordering, UnsafeCell, lazy_thread_local, process_static,
};
use crossbeam_channel::TryRecvError;

/// How many stripes: enough for the producers of a busy queue to land on
/// different ones (threads take them in turn), few enough that a queue
/// stays small (a stripe is 128 bytes). Under loom, two keep models small.
const STRIPES: usize = if MODELED { 2 } else { 8 };

/// A stripe's closed bit; set by the closer.
const CLOSED: usize = 1;
/// A stripe's "counted off `open`" bit.
const COUNTED: usize = 2;
/// One adder inside, in a stripe's count.
const ADDER: usize = 4;

/// One stripe's word, alone on its cache line (and the next, which some
/// CPUs fetch in pairs).
#[repr(align(128))]
struct Stripe(AtomicUsize);

/// Admission to a queue, and the sender only admitted adders may use.
pub(crate) struct Gate<S> {
    stripes: [Stripe; STRIPES],
    /// Stripes not yet empty since the close; the seal comes at zero.
    open: AtomicUsize,
    /// Whether `close` was called: for callers that only ask.
    is_closed: AtomicBool,
    /// The guarded value (the channel's sender): read by pass holders,
    /// dropped by the sealer.
    guarded: UnsafeCell<Option<S>>,
    /// Goes when `close` is called: blocked adders give up on it.
    pub(crate) closed: Signal,
    /// Goes once closed with nobody inside: no item will ever enter again.
    pub(crate) sealed: Signal,
}

// SAFETY: the gate hands out `&S` to pass holders on any thread (so `S`
// must be `Sync`) and drops the `S` on whichever thread seals (so `Send`);
// the accesses never overlap, as the module doc argues.
unsafe impl<S: Send + Sync> Sync for Gate<S> {}
// SAFETY: as above: moving the gate moves the `S`.
unsafe impl<S: Send> Send for Gate<S> {}

/// An adder inside the gate; leaving (on drop, also on unwind) may seal it.
pub(crate) struct Pass<'a, S> {
    gate: &'a Gate<S>,
    stripe: usize,
}

impl<S> Gate<S> {
    pub(crate) fn new(name: &str, guarded: S) -> Gate<S> {
        Gate {
            stripes: std::array::from_fn(|_| Stripe(AtomicUsize::new(0))),
            open: AtomicUsize::new(STRIPES),
            is_closed: AtomicBool::new(false),
            guarded: UnsafeCell::new(Some(guarded)),
            closed: Signal::named(format!("queue {name:?} closed")),
            sealed: Signal::named(format!("queue {name:?} closed and every add settled")),
        }
    }

    /// Lets an adder in, or returns `None` if the gate is closed.
    #[inline]
    pub(crate) fn enter(&self) -> Option<Pass<'_, S>> {
        let stripe = stripe_of_this_thread();
        let before = self.stripes[stripe].0.fetch_add(ADDER, Ordering::Acquire);
        let pass = Pass { gate: self, stripe };
        if before & CLOSED != 0 {
            // Dropping the pass leaves, and counts the stripe off if it
            // was the last one inside.
            drop(pass);
            return None;
        }
        Some(pass)
    }

    /// Closes the gate; returns whether this call closed it.
    pub(crate) fn close(&self) -> bool {
        if self.is_closed.swap(true, Ordering::AcqRel) {
            return false;
        }
        for stripe in 0..STRIPES {
            let before = self.stripes[stripe].0.fetch_or(CLOSED, Ordering::AcqRel);
            if before < ADDER {
                // Nobody inside: empty now.
                self.stripe_emptied(stripe);
            }
        }
        // After every stripe says closed: whoever sees `closed` gone finds
        // every later add refused.
        self.closed.go();
        true
    }

    #[inline]
    pub(crate) fn is_closed(&self) -> bool {
        self.is_closed.load(Ordering::Acquire)
    }

    #[inline]
    pub(crate) fn is_sealed(&self) -> bool {
        self.sealed.is_go()
    }

    /// `stripe` was seen closed with nobody inside: counts it off `open`,
    /// once, and seals the gate with the last one.
    #[cold]
    fn stripe_emptied(&self, stripe: usize) {
        let before = self.stripes[stripe].0.fetch_or(COUNTED, Ordering::AcqRel);
        if before & COUNTED != 0 {
            return;
        }
        if self.open.fetch_sub(1, Ordering::AcqRel) != 1 {
            return;
        }
        // SAFETY: every stripe was counted off, each once it was closed with
        // nobody inside: no pass exists (a pass counts itself in its stripe
        // first, and leaves last) and none can be made (every stripe says
        // closed); the count-down to zero happens once, so this is the only
        // write; and the acquires above follow every count-out's release, so
        // every read of the value happened before it.
        let guarded = self
            .guarded
            .with_mut(|guarded| unsafe { (*guarded).take() });
        drop(guarded);
        // `sealed` never goes before `closed`.
        self.closed.go();
        self.sealed.go();
    }
}

impl<S> Pass<'_, S> {
    /// Runs `f` with the guarded value (the sender).
    #[inline]
    pub(crate) fn with<R>(&self, f: impl FnOnce(&S) -> R) -> R {
        self.gate.guarded.with(|guarded| {
            // SAFETY: this pass counted itself in before its stripe was
            // closed, so its stripe cannot be counted off (and the seal, the
            // only write, cannot come) until it has counted itself out, after
            // this call: the value is there, and only read, while `f` runs.
            match unsafe { &*guarded } {
                Some(guarded) => f(guarded),
                None => unreachable!("the gate seals only once no pass is held"),
            }
        })
    }
}

impl<S> Drop for Pass<'_, S> {
    #[inline]
    fn drop(&mut self) {
        let gate = self.gate;
        // Release: this adder's send happens-before the seal.
        let before = gate.stripes[self.stripe]
            .0
            .fetch_sub(ADDER, Ordering::AcqRel);
        if before & CLOSED != 0 && before & !(CLOSED | COUNTED) == ADDER {
            // Closed, and we were the last one inside.
            gate.stripe_emptied(self.stripe);
        }
    }
}

/// The stripe the calling thread counts itself in: threads take stripes in
/// turn, the first time they add to any queue.
#[inline]
fn stripe_of_this_thread() -> usize {
    process_static! {
        fn next_stripe() -> &'static AtomicUsize { AtomicUsize::new(0) }
    }
    lazy_thread_local! {
        static STRIPE: usize = next_stripe().fetch_add(1, Ordering::Relaxed) % STRIPES;
    }
    STRIPE.try_with(|stripe| *stripe).unwrap_or(0)
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
///
/// A channel that says it is disconnected is drained too: the seal drops
/// the sender before `sealed` goes.
#[inline]
pub(crate) fn pop_now<S, T>(
    gate: &Gate<S>,
    mut try_recv: impl FnMut() -> Result<T, TryRecvError>,
) -> Now<T> {
    match try_recv() {
        Ok(item) => return Now::Item(item),
        Err(TryRecvError::Disconnected) => return Now::Drained,
        Err(TryRecvError::Empty) => {}
    }
    if !gate.is_sealed() {
        return Now::Empty;
    }
    match try_recv() {
        Ok(item) => Now::Item(item),
        Err(_) => Now::Drained,
    }
}
