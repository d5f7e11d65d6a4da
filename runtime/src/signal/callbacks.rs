//! The callbacks waiting on one Signal, and how they are run.
//!
//! Registration and removal are both cheap because long-lived Signals such as
//! `please_stop` see a registration and a removal on every turn of every loop
//! that waits on `please_stop | Till`: ids grow monotonically, so the list
//! stays sorted and a removal is a binary search that leaves a tombstone (or
//! pops, for the common last-in-first-out case); tombstones are swept once
//! they are half the list.

use super::{Inner, Signal};
use crate::sync::const_thread_local;
use std::cell::Cell;

pub(crate) type Callback = Box<dyn FnOnce() + Send>;

#[derive(Default)]
pub(super) struct Callbacks {
    entries: Vec<(u64, Option<Callback>)>,
    tombstones: usize,
    next_id: u64,
}

impl Callbacks {
    /// Adds `callback` and returns the id that removes it.
    pub(super) fn push(&mut self, callback: Callback) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.entries.push((id, Some(callback)));
        id
    }

    /// Takes the callback with this id out, if it is still here.
    pub(super) fn remove(&mut self, id: u64) -> Option<Callback> {
        let index = self
            .entries
            .binary_search_by_key(&id, |entry| entry.0)
            .ok()?;
        let callback = self.entries[index].1.take()?;
        if index + 1 == self.entries.len() {
            self.entries.pop();
            while let Some((_, None)) = self.entries.last() {
                self.entries.pop();
                self.tombstones -= 1;
            }
        } else {
            self.tombstones += 1;
            if self.tombstones * 2 > self.entries.len() {
                self.entries.retain(|entry| entry.1.is_some());
                self.tombstones = 0;
            }
        }
        if self.entries.is_empty() {
            // Give the memory back: a Signal that once had many waiters
            // should not keep their slots for the rest of its life.
            self.entries = Vec::new();
        }
        Some(callback)
    }

    /// How many callbacks are waiting.
    pub(super) fn len(&self) -> usize {
        self.entries.len() - self.tombstones
    }

    /// Runs every callback in registration order, each isolated from the
    /// others' panics.
    pub(super) fn run_all(self, signal: &Inner) {
        for callback in self.entries.into_iter().filter_map(|entry| entry.1) {
            run_one(signal, callback);
        }
    }
}

const_thread_local! {
    /// How many `then` callbacks this thread is running right now.
    static CALLBACK_DEPTH: Cell<usize> = Cell::new(0);
}

/// Runs one callback of `signal`; a panic is logged, not propagated.
pub(super) fn run_one(signal: &Inner, callback: Callback) {
    CALLBACK_DEPTH.with(|depth| depth.set(depth.get() + 1));
    let outcome = crate::panic::catch(callback);
    CALLBACK_DEPTH.with(|depth| depth.set(depth.get() - 1));
    if let Err(caught) = outcome {
        report!(
            Error,
            "more_threads::signal",
            "a then() callback of Signal \"{}\" panicked: {}",
            signal,
            caught.message
        );
    }
}

/// Panics, naming `signal`, when called from inside a `then` callback: a
/// callback that blocks there stalls the thread that called `go`, and if the
/// Signal it waits on can only go later on that thread, stalls it forever.
pub(super) fn forbid_blocking_in_callback(signal: &Signal, operation: &str) {
    refuse_blocking_in_callback(format_args!("{operation} on {signal:?}"));
}

/// Panics, saying `what` would have blocked, when called from inside a
/// `then` callback (see [`forbid_blocking_in_callback`]): for the blocking
/// calls above the Signals, such as a thread's `join`.
pub(crate) fn refuse_blocking_in_callback(what: std::fmt::Arguments<'_>) {
    if CALLBACK_DEPTH.with(Cell::get) > 0 {
        panic!(
            "{what} inside a then() callback: callbacks run on the \
             thread that called go() and must not block; start a thread, or register \
             another callback with then()"
        );
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::Callbacks;

    fn noop() -> super::Callback {
        Box::new(|| ())
    }

    #[test]
    fn removal_in_any_order_keeps_the_count_and_sweeps_tombstones() {
        let mut callbacks = Callbacks::default();
        let ids: Vec<u64> = (0..10).map(|_| callbacks.push(noop())).collect();
        for id in ids.iter().step_by(2) {
            assert!(callbacks.remove(*id).is_some());
        }
        assert_eq!(callbacks.len(), 5);
        assert!(
            callbacks.entries.len() <= 2 * callbacks.len(),
            "tombstones are swept once they are half the list"
        );
        assert!(callbacks.remove(ids[0]).is_none(), "a removed id is gone");
        for id in ids.iter().skip(1).step_by(2) {
            assert!(callbacks.remove(*id).is_some());
        }
        assert_eq!(callbacks.len(), 0);
        assert_eq!(callbacks.entries.capacity(), 0, "memory given back");
    }

    #[test]
    fn last_in_first_out_removal_never_leaves_tombstones() {
        let mut callbacks = Callbacks::default();
        let first = callbacks.push(noop());
        for _ in 0..1000 {
            let id = callbacks.push(noop());
            callbacks.remove(id);
        }
        assert_eq!(callbacks.entries.len(), 1);
        assert!(callbacks.remove(first).is_some());
    }
}
