//! What makes a queue [`unique`](super::QueueBuilder::unique): the set of
//! the items waiting in it, so that an equal one is refused.

// Not through the `sync` shim's loom half: the set is taken and let go
// within one call, beside crossbeam-channel's own atomics, which loom cannot
// see; the queue's loom models leave it out.
use crate::sync::real::Mutex;
use std::collections::HashSet;
use std::hash::Hash;

/// The items waiting in a unique queue (type-erased, so that only the
/// queues made unique need `T: Hash + Eq + Clone`).
pub(super) trait Waiting<T>: Send + Sync {
    /// Whether `item` may be added: no equal item is waiting. If so, it is
    /// waiting from now on.
    fn admit(&self, item: &T) -> bool;
    /// `item` was taken, or its add failed: no longer waiting.
    fn gone(&self, item: &T);
}

pub(super) struct WaitingSet<T>(Mutex<HashSet<T>>);

impl<T> WaitingSet<T> {
    pub(super) fn new() -> WaitingSet<T> {
        WaitingSet(Mutex::new(HashSet::new()))
    }
}

impl<T: Hash + Eq + Clone + Send> Waiting<T> for WaitingSet<T> {
    fn admit(&self, item: &T) -> bool {
        let mut waiting = self.0.lock();
        if waiting.contains(item) {
            return false;
        }
        waiting.insert(item.clone());
        true
    }

    fn gone(&self, item: &T) {
        self.0.lock().remove(item);
    }
}
