//! Who reports a thread's failure, exactly once: the state machine
//! ([`Fate`], kept on the thread's node) and the handle's side of it
//! ([`Claim`], held by [`Thread`](super::Thread) and
//! [`ScopedThread`](super::ScopedThread)).
//!
//! Joining takes the value or the failure; releasing hands a failure to the
//! log; dropping the claim unsettled hands it to the parent (or the scope),
//! which folds it into its own outcome when it collects its finished
//! children; a handle dropped after its parent ended hands it to the log.
//! Every step is one transition of [`Fate`] under the node's lock, racing
//! the thread's own end ([`Fate::finish`]); `node/loom_tests.rs` checks
//! that each failure is reported exactly once whichever way they race.

use super::current;
use super::error::{Cause, ThreadError};
use super::node::Node;
use crate::deadlock::{self, Closing, Join, On, Waiting};
use crate::holder;
use crate::signal::Signal;
use crate::sync::Arc;
use crate::sync::real::Mutex;
use crate::thread::node::joining;

/// How a thread's outcome stands: who will report its failure, whether the
/// thread finished, and the failure nobody has taken yet.
pub(super) struct Fate {
    reporter: Reporter,
    finished: bool,
    failure: Option<ThreadError>,
}

/// Who will report this thread's failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reporter {
    /// A handle may still join it: the handle's owner.
    Held,
    /// Joined: the joiner got it.
    Joined,
    /// Released: the log, as soon as the thread finishes.
    Released,
    /// The handle was dropped unjoined: the parent, which folds it in.
    Orphaned,
    /// The parent ended while a handle was still held: the handle's owner
    /// if they join, the log if they drop it.
    ParentGone,
}

/// What a step of the [`Fate`] leaves for the node to do once its lock is
/// released: a failure to log, and whether the node can leave its parent's
/// list (nothing there is left to claim).
#[must_use]
pub(super) struct Settled {
    pub(super) log: Option<ThreadError>,
    pub(super) leave_parent: bool,
}

impl Settled {
    const NOTHING: Settled = Settled {
        log: None,
        leave_parent: false,
    };
}

impl Fate {
    pub(super) fn new() -> Fate {
        Fate {
            reporter: Reporter::Held,
            finished: false,
            failure: None,
        }
    }

    /// The thread ended, with `failure` unless it succeeded.
    pub(super) fn finish(&mut self, failure: Option<ThreadError>) -> Settled {
        self.finished = true;
        match self.reporter {
            Reporter::Released => Settled {
                log: failure,
                leave_parent: true,
            },
            Reporter::Orphaned if failure.is_none() => Settled {
                log: None,
                leave_parent: true,
            },
            Reporter::Held | Reporter::Orphaned | Reporter::ParentGone | Reporter::Joined => {
                self.failure = failure;
                Settled::NOTHING
            }
        }
    }

    /// A joiner takes the failure (after `stopped` went).
    pub(super) fn join(&mut self) -> Option<ThreadError> {
        self.reporter = Reporter::Joined;
        self.failure.take()
    }

    /// The handle gives the outcome up: the log reports the failure.
    pub(super) fn release(&mut self) -> Settled {
        self.reporter = Reporter::Released;
        Settled {
            log: self.failure.take(),
            leave_parent: self.finished,
        }
    }

    /// The handle was dropped without join or release.
    pub(super) fn orphan(&mut self) -> Settled {
        match self.reporter {
            Reporter::Held => {
                self.reporter = Reporter::Orphaned;
                Settled {
                    log: None,
                    leave_parent: self.finished && self.failure.is_none(),
                }
            }
            Reporter::ParentGone => Settled {
                log: self.failure.take(),
                leave_parent: false,
            },
            Reporter::Joined | Reporter::Released | Reporter::Orphaned => Settled::NOTHING,
        }
    }

    /// The scope that started the thread ends (its OS thread was joined):
    /// the failure nobody claimed is the scope's.
    pub(super) fn settle_in_scope(&mut self) -> Option<ThreadError> {
        match self.reporter {
            Reporter::Orphaned | Reporter::Held => {
                self.reporter = Reporter::Joined;
                self.failure.take()
            }
            Reporter::Joined | Reporter::Released | Reporter::ParentGone => None,
        }
    }

    /// The parent collects this finished child: the failure it folds in
    /// when the handle was dropped; a handle still held now answers alone.
    pub(super) fn collect(&mut self) -> Option<ThreadError> {
        match self.reporter {
            Reporter::Orphaned => self.failure.take(),
            Reporter::Held => {
                self.reporter = Reporter::ParentGone;
                None
            }
            Reporter::Joined | Reporter::Released | Reporter::ParentGone => None,
        }
    }
}

pub(crate) struct Claim<T> {
    pub(crate) node: Arc<Node>,
    /// `None` only in `drop`, which lets go of it.
    value: Option<Arc<Mutex<Option<T>>>>,
    settled: bool,
}

impl<T> Claim<T> {
    pub(crate) fn new(node: Arc<Node>, value: Arc<Mutex<Option<T>>>) -> Claim<T> {
        Claim {
            node,
            value: Some(value),
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
            Cause::WouldDeadlock(why.into()),
        ))
    }

    /// Waits for the thread to end, or for `till`; says whether it ended.
    ///
    /// # Errors
    ///
    /// [`WouldDeadlock`](crate::thread::ThreadErrorKind::WouldDeadlock), without
    /// waiting, when the thread waits (through Lock waits and joins) for
    /// the caller: the wait would never end.
    pub(crate) fn wait_till(&self, till: Option<&Signal>) -> Result<bool, ThreadError> {
        let _waiting = self.check_the_join()?;
        // After the check: a thread the dump shows joining is in the graph.
        let _blocked = joining(self.node.path.clone()).enter();
        Ok(match till {
            Some(till) => self.node.stopped.wait_till(till),
            None => {
                self.node.stopped.wait();
                true
            }
        })
    }

    /// Tells the deadlock check that the caller is about to wait for the
    /// thread to end, until the returned wait drops; `None` if it has ended.
    ///
    /// # Errors
    ///
    /// [`WouldDeadlock`](crate::thread::ThreadErrorKind::WouldDeadlock) naming the
    /// cycle, when the thread waits for the caller.
    pub(crate) fn check_the_join(&self) -> Result<Option<Waiting<'static>>, ThreadError> {
        if self.node.stopped.is_go() {
            return Ok(None);
        }
        let on = On::Threads(Join::Handle, vec![self.node.local.clone()]);
        match deadlock::graph().wait(holder::me(), on, Closing::Fails) {
            Ok(waiting) => Ok(Some(waiting)),
            Err(cycle) => Err({
                crate::local::blocked::failed_wait(|| {
                    format!("deadlock joining {}", self.node.path)
                });
                ThreadError::new(
                    self.node.name.clone(),
                    self.node.path.clone(),
                    Cause::WouldDeadlock(cycle.to_string().into()),
                )
            }),
        }
    }

    /// Takes the outcome of a thread that has ended.
    pub(crate) fn take(&mut self) -> Result<T, ThreadError> {
        self.settled = true;
        match self.node.take_for_join() {
            Some(failure) => Err(failure),
            None => match self.value.as_ref().and_then(|value| value.lock().take()) {
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
        // A value nobody took is dropped here if the thread has ended, with
        // a `Drop` that panics reported, not let loose in the caller.
        if let Some(value) = self.value.take() {
            super::spawn::let_go_of_value(value, &self.node);
        }
    }
}
