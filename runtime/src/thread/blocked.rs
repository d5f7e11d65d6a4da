//! What a thread is waiting for, kept for the thread dump.
//!
//! The blocking primitives record it on their slow path only, as a cheap
//! clone (a reference count, never an allocation), and only on threads the
//! runtime knows; the guard puts the thread back to "running".

use super::current::with_registered;
use crate::Signal;
use std::fmt;
use std::sync::Arc;

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
    /// Records `self` as what the current thread waits for, until the guard drops.
    pub(crate) fn enter(self) -> BlockedGuard {
        let recorded = with_registered(|node| *node.blocked.lock() = self).is_some();
        BlockedGuard { recorded }
    }
}

impl Drop for BlockedGuard {
    fn drop(&mut self) {
        if self.recorded {
            with_registered(|node| *node.blocked.lock() = Blocked::Running);
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
