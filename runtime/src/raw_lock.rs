//! The mutual exclusion under a [`Lock`](crate::lock::Lock): a one-byte lock
//! whose sleeping waiters can be told to give up.
//!
//! It is `parking_lot`'s raw mutex, less its fairness: the same
//! compare-and-swap to lock and to unlock when nobody sleeps, the same
//! spin-then-park on `parking_lot_core` when somebody holds it. It exists for
//! one thing `parking_lot` cannot do: [`RawLock::abort`] wakes one chosen
//! waiter and makes its [`lock_or_abort`](RawLock::lock_or_abort) return
//! `false`. That is how a deadlock closed by a wait that cannot fail (a scope
//! waiting for its children) fails a Lock wait of the cycle instead
//! (`crate::deadlock`).
//!
//! One API, three flavors, one file each (crossbeam-channel's `flavors/`):
//!
//! * `parked`: the lock above, in every normal build;
//! * `spinning`, under Miri, which refuses `parking_lot_core`'s futex calls
//!   (see `crate::sync`): a lock that spins, yielding, and that Miri checks
//!   as it checks any loop;
//! * `modeled`, under loom, which cannot see `parking_lot_core`: loom's
//!   mutex, which the models explore; it cannot be aborted.
//!
//! The models check the Lock and the deadlock check above it; the sleeping
//! is `parking_lot`'s design, less its fairness.
//!
//! Every flavor has `new`, `try_lock`, `try_lock_spinning`, `lock_or_abort`,
//! `unlock` and `abort`, with the contracts the `parked` one states.

use crate::sync::AtomicBool;

/// Why a waiter gives up, read by [`RawLock::lock_or_abort`]: set by
/// whoever aborts it, before it calls [`RawLock::abort`].
pub(crate) type AbortFlag = AtomicBool;

// The choice of flavor, made here and nowhere else: the one place outside
// the `sync` shim that asks which world it is built for. Not in the shim,
// for two reasons. The shim hands out other people's primitives (std's,
// `parking_lot`'s, loom's doubles of them), one for one with the same API,
// and stands below everything; it cannot name this module, which imports
// it, without a cycle, and owning these flavors would make it a 300-line
// lock with its own unsafe parking, not a door. And the flavors are not
// doubles of one primitive: they are three implementations of our own
// contract that differ in what they can do (only `parked` sleeps; `modeled`
// cannot be aborted, which is why the deadlock models close their cycles
// with waits that fail), so a reader of that contract should find the
// choice beside it, as crossbeam-channel's `channel.rs` chooses its
// flavors. The worlds are the shim's: loom wins over Miri, as it does there.
#[cfg(loom)]
mod modeled;
#[cfg(not(any(loom, miri)))]
mod parked;
#[cfg(all(miri, not(loom)))]
mod spinning;

#[cfg(loom)]
pub(crate) use modeled::RawLock;
#[cfg(not(any(loom, miri)))]
pub(crate) use parked::RawLock;
#[cfg(all(miri, not(loom)))]
pub(crate) use spinning::RawLock;
