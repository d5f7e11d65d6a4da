//! [`Claim`]: what a handle holds on a thread's outcome, shared by
//! [`Thread`](super::Thread) and [`ScopedThread`](super::ScopedThread).
//!
//! Joining takes the value or the failure; releasing hands a failure to the
//! log; dropping the claim unsettled hands it to the parent (or the scope).

use super::current;
use super::error::{Cause, ThreadError};
use super::node::Node;
use crate::blocked::Blocked;
use crate::signal::Signal;
use crate::sync::Arc;
use crate::sync::real::Mutex;

pub(crate) struct Claim<T> {
    pub(crate) node: Arc<Node>,
    value: Arc<Mutex<Option<T>>>,
    settled: bool,
}

impl<T> Claim<T> {
    pub(crate) fn new(node: Arc<Node>, value: Arc<Mutex<Option<T>>>) -> Claim<T> {
        Claim {
            node,
            value,
            settled: false,
        }
    }

    /// An error instead of a wait that could never end: joining the thread
    /// from itself, or from a descendant it waits for before it ends.
    pub(crate) fn refuse_deadlock(&self) -> Result<(), ThreadError> {
        // A caller without a node is neither the thread nor its descendant:
        // don't name it (and warn) just to find that out.
        let Some(caller) = current::with_registered(Arc::clone) else {
            return Ok(());
        };
        if !self.node.is_ancestor_or_self_of(&caller) {
            return Ok(());
        }
        let why = if Arc::ptr_eq(&self.node, &caller) {
            "cannot join itself: it would wait forever"
        } else {
            "cannot be joined by its own descendant: it waits for its descendants first"
        };
        Err(ThreadError::new(
            self.node.name.clone(),
            self.node.path.clone(),
            Cause::WouldDeadlock(why),
        ))
    }

    /// Waits for the thread to end, or for `till`; says whether it ended.
    pub(crate) fn wait_till(&self, till: Option<&Signal>) -> bool {
        let _blocked = Blocked::Joining(self.node.path.clone()).enter();
        match till {
            Some(till) => self.node.stopped.wait_till(till),
            None => {
                self.node.stopped.wait();
                true
            }
        }
    }

    /// Takes the outcome of a thread that has ended.
    pub(crate) fn take(&mut self) -> Result<T, ThreadError> {
        self.settled = true;
        match self.node.take_for_join() {
            Some(failure) => Err(failure),
            None => match self.value.lock().take() {
                Some(value) => Ok(value),
                None => unreachable!("a thread that ended without a failure left its value"),
            },
        }
    }

    /// Gives the outcome up: a failure goes to the log.
    pub(crate) fn release(&mut self) {
        self.settled = true;
        self.node.release();
    }
}

impl<T> Drop for Claim<T> {
    fn drop(&mut self) {
        if !self.settled {
            self.node.orphan();
        }
    }
}
