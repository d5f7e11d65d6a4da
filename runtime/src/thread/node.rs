//! The live tree: one [`Node`] per thread the runtime knows, linked to its
//! parent (weakly) and its children (strongly).
//!
//! A node outlives its OS thread while someone still has a claim on its
//! outcome: a handle that may join it, or a parent that must fold its failure
//! in. Its [`Fate`] (the claim's state machine, in `claim.rs`) decides who
//! reports a failure, so that each is reported exactly once: the joiner, the
//! parent, or the log.

use super::claim::{Fate, Settled};
use super::error::ThreadError;
use crate::deadlock::{self, Closing, Join, On};
use crate::holder;
use crate::local::Local;
use crate::local::blocked::{Blocked, Elsewhere};
use crate::signal::{Signal, StopReason};
// Through the loom door: the claim protocol below is model-checked.
use crate::sync::Mutex;
use crate::sync::real::{AtomicU32, AtomicU64, Ordering};
use crate::sync::{Arc, Weak};
use std::time::Instant;

pub(crate) struct Node {
    pub(crate) id: u64,
    pub(crate) name: Arc<str>,
    pub(crate) path: Arc<str>,
    pub(crate) kind: Kind,
    parent: Option<Weak<Node>>,
    pub(crate) please_stop: Signal,
    /// Goes when the worker has returned and every child has been joined.
    pub(crate) stopped: Signal,
    pub(crate) started: Instant,
    /// Children in spawn order: running ones, and finished ones whose outcome
    /// somebody may still claim.
    children: Mutex<Children>,
    fate: Mutex<Fate>,
    /// How many times its restart policy started it again.
    restarts: AtomicU32,
    /// What a service running on the thread says of itself in the dump
    /// (a supervisor: its strategy and its restarts).
    note: Mutex<Option<Arc<str>>>,
    /// Its name, path and what it waits for, lent to its thread for the
    /// layers below the tree; read by the dump.
    pub(crate) local: Arc<Local>,
}

/// A node's children, and whether it still takes new ones.
#[derive(Default)]
struct Children {
    list: Vec<Arc<Node>>,
    /// Set, under the same lock, when the node's end found no child running:
    /// a child added after that would be waited for by nobody.
    ended: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// The process's main thread: the root.
    Main,
    /// Started by this runtime.
    Spawned,
    /// Made elsewhere, registered with a `RegisterThread` guard: the main
    /// shutdown waits for it.
    Registered,
    /// Made elsewhere, never registered: named on first use, not waited for.
    Unregistered,
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

impl Node {
    pub(crate) fn root() -> Arc<Node> {
        let root = Arc::new(Node::new(
            "main".into(),
            "main".into(),
            Kind::Main,
            None,
            None,
        ));
        Node::pass_the_stop_down(&root);
        root
    }

    /// Makes `node`'s `please_stop`, whoever makes it go, ask its children
    /// to stop too (youngest first, and so on down): a thread asked to stop
    /// is a subtree asked to stop, whether by [`stop`](Node::stop), by
    /// `please_stop().go()`, or by the Signal a builder was given. One
    /// callback a thread, holding the node weakly.
    fn pass_the_stop_down(node: &Arc<Node>) {
        let node = Arc::downgrade(node);
        let please_stop = match node.upgrade() {
            Some(node) => node.please_stop.clone(),
            None => return,
        };
        please_stop.then(move || {
            if let Some(node) = node.upgrade() {
                if let Some(profile) = node.local.profile.get() {
                    let why = node.please_stop.reason().map(|reason| reason.to_string());
                    profile.asked_to_stop(why.as_deref().unwrap_or("unknown"));
                }
                for child in node.children().iter().rev() {
                    child.stop();
                }
            }
        });
    }

    fn new(
        name: Arc<str>,
        path: Arc<str>,
        kind: Kind,
        parent: Option<Weak<Node>>,
        please_stop: Option<Signal>,
    ) -> Node {
        let local = Local::new(name.clone(), path.clone());
        Node {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            please_stop: please_stop
                .unwrap_or_else(|| Signal::named(format!("please_stop of {path}"))),
            stopped: Signal::end_of(format!("{path} stopped"), local.clone()),
            local,
            name,
            path,
            kind,
            parent,
            started: Instant::now(),
            children: Mutex::new(Children::default()),
            fate: Mutex::new(Fate::new()),
            restarts: AtomicU32::new(0),
            note: Mutex::new(None),
        }
    }

    /// A new child of `parent`, already in its list. A child born to a parent
    /// that was asked to stop is asked to stop at once. `Err` with the node,
    /// out of any list, if `parent` has ended: nobody would wait for it.
    pub(crate) fn child(
        parent: &Arc<Node>,
        name: &str,
        kind: Kind,
        please_stop: Option<Signal>,
    ) -> Result<Arc<Node>, Arc<Node>> {
        let path: Arc<str> = format!("{}/{name}", parent.path).into();
        let child = Arc::new(Node::new(
            name.into(),
            path,
            kind,
            Some(Arc::downgrade(parent)),
            please_stop,
        ));
        {
            let mut children = parent.children.lock();
            if children.ended {
                return Err(child);
            }
            children.list.push(child.clone());
        }
        Node::pass_the_stop_down(&child);
        // After the push: a stop whose callback looked at the list before
        // it is seen here, one after it found the child in the list.
        if let Some(reason) = parent.please_stop.reason() {
            child.stop_because(reason);
        }
        Ok(child)
    }

    /// A node for a thread that could not start: never in its parent's
    /// list, already stopped, holding the error for whoever joins it.
    pub(crate) fn never_started(parent: &Arc<Node>, error: ThreadError) -> Arc<Node> {
        let node = Arc::new(Node::new(
            error.name().into(),
            error.path().into(),
            Kind::Spawned,
            Some(Arc::downgrade(parent)),
            None,
        ));
        node.finish(Some(error));
        node
    }

    pub(crate) fn parent(&self) -> Option<Arc<Node>> {
        self.parent.as_ref().and_then(Weak::upgrade)
    }

    /// Whether `self` is `other` or one of its ancestors.
    pub(crate) fn is_ancestor_or_self_of(self: &Arc<Node>, other: &Arc<Node>) -> bool {
        let mut cursor = Some(other.clone());
        while let Some(node) = cursor {
            if Arc::ptr_eq(&node, self) {
                return true;
            }
            cursor = node.parent();
        }
        false
    }

    /// Counts one more restart; returns the count.
    pub(crate) fn restarted(&self) -> u32 {
        self.restarts.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// How many times it was restarted.
    pub(crate) fn restarts(&self) -> u32 {
        self.restarts.load(Ordering::Relaxed)
    }

    /// Counts the restarts before this node: a supervisor starts a child
    /// again as a new thread, which carries on its predecessors' count.
    pub(crate) fn restarted_before(&self, restarts: u32) {
        self.restarts.store(restarts, Ordering::Relaxed);
    }

    /// What the dump says of the thread beside its state.
    pub(crate) fn note(&self) -> Option<Arc<str>> {
        self.note.lock().clone()
    }

    /// Sets [`note`](Node::note).
    pub(crate) fn set_note(&self, note: impl Into<Arc<str>>) {
        *self.note.lock() = Some(note.into());
    }

    pub(crate) fn children(&self) -> Vec<Arc<Node>> {
        self.children.lock().list.clone()
    }

    /// Asks this thread and, youngest first, all its descendants to stop.
    /// Never blocks.
    pub(crate) fn stop(&self) {
        // Its callback (`pass_the_stop_down`) asks the children.
        self.please_stop.go();
    }

    /// [`stop`](Node::stop), saying why.
    pub(crate) fn stop_because(&self, reason: StopReason) {
        self.please_stop.go_because(reason);
    }

    /// What a thread does when its worker is done: stops its children that
    /// still run (youngest first), waits for all of them, and collects the
    /// failures nobody else will report. From then on it takes no child.
    pub(crate) fn end_children(&self) -> Vec<ThreadError> {
        self.end_children_then(true)
    }

    /// [`end_children`](Node::end_children) between two attempts of a
    /// restarted thread: the next attempt may start children again.
    pub(crate) fn end_children_between_attempts(&self) -> Vec<ThreadError> {
        self.end_children_then(false)
    }

    fn end_children_then(&self, for_good: bool) -> Vec<ThreadError> {
        loop {
            let running: Vec<Arc<Node>> = {
                let mut children = self.children.lock();
                let running: Vec<Arc<Node>> = children
                    .list
                    .iter()
                    .filter(|child| !child.stopped.is_go() && child.kind != Kind::Unregistered)
                    .cloned()
                    .collect();
                // Closed in the same lock that found none running: a child
                // added after this is refused, not left unwaited.
                if running.is_empty() {
                    children.ended = for_good;
                }
                running
            };
            if running.is_empty() {
                break;
            }
            let reason = if for_good {
                StopReason::ParentEnded {
                    parent: self.path.clone(),
                }
            } else {
                StopReason::Restart {
                    thread: self.path.clone(),
                }
            };
            for child in running.iter().rev() {
                child.stop_because(reason.clone());
            }
            for child in running.iter().rev() {
                // It cannot fail instead of waiting: a cycle through this
                // wait fails a Lock wait of the cycle (`crate::deadlock`).
                let _waiting = (!child.stopped.is_go())
                    .then(|| {
                        let on = On::Threads(Join::ChildrenEnd, vec![child.local.clone()]);
                        deadlock::graph()
                            .wait(holder::me(), on, Closing::Sleeps)
                            .ok()
                    })
                    .flatten();
                let _blocked = joining(child.path.clone()).enter();
                child.stopped.wait();
            }
        }
        self.collect_children()
    }

    /// Takes the failures of finished children whose handles were dropped,
    /// hands the rest to their handles, and empties the list of finished ones.
    fn collect_children(&self) -> Vec<ThreadError> {
        let finished: Vec<Arc<Node>> = {
            let mut children = self.children.lock();
            let (finished, running) = children
                .list
                .drain(..)
                .partition(|child: &Arc<Node>| child.stopped.is_go());
            children.list = running;
            finished
        };
        let mut failures = Vec::new();
        for child in finished {
            let collected = child.fate.lock().collect();
            match collected {
                Some(stopped) if stopped.is_stopped() => log_unclaimed(&stopped),
                failure => failures.extend(failure),
            }
        }
        failures
    }

    /// Records how the thread ended and makes `stopped` go. Called once, by
    /// the thread itself, after [`end_children`](Node::end_children).
    pub(crate) fn finish(&self, failure: Option<ThreadError>) {
        let settled = self.fate.lock().finish(failure);
        *self.local.blocked.lock() = Blocked::Finished;
        if let Some(profile) = self.local.profile.get() {
            profile.ended();
        }
        self.apply(settled);
        self.stopped.go();
    }

    /// Claims the failure for a joiner. Call after `stopped` went.
    pub(crate) fn take_for_join(&self) -> Option<ThreadError> {
        let failure = self.fate.lock().join();
        self.leave_parent();
        failure
    }

    /// The handle lets go: logs the failure once the thread finishes.
    pub(crate) fn release(&self) {
        let settled = self.fate.lock().release();
        self.apply(settled);
    }

    /// The handle was dropped without join or release: the parent folds the
    /// failure in when it ends, or, if it already has, the log reports it.
    pub(crate) fn orphan(&self) {
        let settled = self.fate.lock().orphan();
        self.apply(settled);
    }

    /// The end of the scope that started this thread: takes the failure
    /// nobody claimed (its handle was dropped unjoined), and leaves the parent.
    /// Call after the OS thread was joined.
    pub(crate) fn settle_in_scope(&self) -> Option<ThreadError> {
        let failure = self.fate.lock().settle_in_scope();
        self.leave_parent();
        failure
    }

    /// Does what a step of the claim asked for, outside the fate's lock.
    fn apply(&self, settled: Settled) {
        if let Some(failure) = settled.log {
            log_unclaimed(&failure);
        }
        if settled.leave_parent {
            self.leave_parent();
        }
    }

    /// Removes this node from its parent's list: nothing left to claim.
    pub(crate) fn leave_parent(&self) {
        if let Some(parent) = self.parent() {
            parent
                .children
                .lock()
                .list
                .retain(|child| child.id != self.id);
        }
    }
}

/// Reports a failure that nobody joined: through `log`, once; a quiet stop
/// is no failure, so it goes at DEBUG.
pub(crate) fn log_unclaimed(failure: &ThreadError) {
    #[cfg(all(test, loom))]
    loom_tests::LOGGED.fetch_add(1, loom::sync::atomic::Ordering::SeqCst);
    if failure.is_stopped() {
        report!(Debug, "more_threads::thread", about: (failure.name(), failure.path()), "{failure:#}");
    } else {
        report!(Error, "more_threads::thread", about: (failure.name(), failure.path()), "{failure:#}");
    }
}

/// What the dump shows for a thread waiting for the end of the thread at
/// `path`: `joining "main/crawler"`.
pub(crate) fn joining(path: Arc<str>) -> Blocked {
    Blocked::Elsewhere(Elsewhere {
        doing: "joining",
        what: path,
        quoted: true,
        filed_as: None,
    })
}

#[cfg(all(test, loom))]
mod loom_tests;
