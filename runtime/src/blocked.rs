//! What a thread is waiting for, kept for the thread dump.
//!
//! The primitives (Signal, Lock, the queues) sit below the tree and must not
//! import it; they record into the [`Local`](crate::local::Local) the tree
//! lent the calling thread, if any. They record on their slow path only, as
//! a cheap clone (a reference count, never an allocation); the guard puts
//! the thread back to "running".

use crate::local;
use crate::signal::Signal;
use crate::sync::Arc;
use std::fmt;

pub(crate) enum Blocked {
    Running,
    Signal(Signal),
    Lock(Option<Arc<str>>),
    Queue(Arc<str>),
    Joining(Arc<str>),
    Finished,
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
    local::with_current(|local| match local {
        Some(local) => {
            *local.blocked.lock() = blocked;
            true
        }
        None => false,
    })
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
