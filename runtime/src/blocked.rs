//! What a thread is waiting for, kept for the thread dump: a slot the thread
//! tree lends to each thread it knows, and the blocking primitives write to.
//!
//! The primitives (Signal, Lock, the queues) sit below the tree and must not
//! import it; the tree, when a thread enters it, lends that thread its node's
//! slot through a thread-local here ([`lend`]), and the primitives record
//! into whatever slot is lent, if any. They record on their slow path only,
//! as a cheap clone (a reference count, never an allocation); the guard puts
//! the thread back to "running".

use crate::signal::Signal;
use crate::sync::Arc;
use crate::sync::real::Mutex;
use std::cell::RefCell;
use std::fmt;

pub(crate) enum Blocked {
    Running,
    Signal(Signal),
    Lock(Option<Arc<str>>),
    Queue(Arc<str>),
    Joining(Arc<str>),
    Finished,
}

/// A thread's record of what it waits for, shared with the dump.
pub(crate) type Slot = Arc<Mutex<Blocked>>;

thread_local! {
    /// The slot of the thread this runs on, if the tree lent it one.
    static LENT: RefCell<Option<Slot>> = const { RefCell::new(None) };
}

/// Makes `slot` the calling thread's slot; returns the one it replaces.
pub(crate) fn lend(slot: Option<Slot>) -> Option<Slot> {
    LENT.try_with(|lent| std::mem::replace(&mut *lent.borrow_mut(), slot))
        .ok()
        .flatten()
}

/// Puts the current thread back to `Running` when dropped.
pub(crate) struct BlockedGuard {
    recorded: bool,
}

impl Blocked {
    /// Records `self` as what the current thread waits for, until the guard
    /// drops; nothing on a thread the tree lent no slot.
    pub(crate) fn enter(self) -> BlockedGuard {
        let recorded = record(self);
        BlockedGuard { recorded }
    }
}

fn record(blocked: Blocked) -> bool {
    LENT.try_with(|lent| match &*lent.borrow() {
        Some(slot) => {
            *slot.lock() = blocked;
            true
        }
        None => false,
    })
    .unwrap_or(false)
}

impl Drop for BlockedGuard {
    fn drop(&mut self) {
        if self.recorded {
            record(Blocked::Running);
        }
    }
}

impl fmt::Display for Blocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Blocked::Running => f.write_str("running"),
            Blocked::Signal(signal) => write!(f, "blocked on Signal {:?}", signal.to_string()),
            Blocked::Lock(Some(name)) => write!(f, "blocked on Lock {name:?}"),
            Blocked::Lock(None) => f.write_str("blocked on an unnamed Lock"),
            Blocked::Queue(name) => write!(f, "blocked on Queue {name:?}"),
            Blocked::Joining(path) => write!(f, "joining {path:?}"),
            Blocked::Finished => f.write_str("finished"),
        }
    }
}
