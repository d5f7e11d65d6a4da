//! Loom models of the failure claim: whoever ends up with a thread's
//! failure (the joiner, the log, or the parent that folds it in), it is
//! reported exactly once, whichever way the thread's end races the handle's
//! join, release or drop and the parent's collection.

use super::{Kind, Node};
use crate::thread::error::{Cause, ThreadError};
use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::thread;
use std::sync::Arc;

loom::lazy_static! {
    /// Failures that went to the log in the current execution.
    pub(super) static ref LOGGED: AtomicUsize = AtomicUsize::new(0);
}

fn failure(node: &Node) -> ThreadError {
    ThreadError::new(
        node.name.clone(),
        node.path.clone(),
        Cause::Failed("broken".into()),
    )
}

/// A parent and one child that is still running, as `spawn` leaves them.
fn parent_and_child() -> (Arc<Node>, Arc<Node>) {
    let parent = Node::root();
    let child = Node::child(&parent, "child", Kind::Spawned, None).unwrap_or_else(|node| node);
    (parent, child)
}

/// The child's thread ending with a failure, on a loom thread.
fn ends_failing(child: &Arc<Node>) -> thread::JoinHandle<()> {
    let child = child.clone();
    thread::spawn(move || child.finish(Some(failure(&child))))
}

#[test]
fn a_join_racing_the_end_gets_the_failure_and_nothing_is_logged() {
    loom::model(|| {
        let (parent, child) = parent_and_child();
        let ending = ends_failing(&child);
        child.stopped.wait();
        let joined = child.take_for_join();
        ending.join().unwrap();
        let folded = parent.collect_children();
        assert!(joined.is_some(), "the joiner lost the failure");
        assert!(folded.is_empty(), "the parent folded in a joined failure");
        assert_eq!(
            LOGGED.load(Ordering::SeqCst),
            0,
            "a joined failure was logged"
        );
    });
}

#[test]
fn a_release_racing_the_end_logs_the_failure_exactly_once() {
    loom::model(|| {
        let (parent, child) = parent_and_child();
        let ending = ends_failing(&child);
        let releasing = {
            let child = child.clone();
            thread::spawn(move || child.release())
        };
        ending.join().unwrap();
        releasing.join().unwrap();
        let folded = parent.collect_children();
        assert!(folded.is_empty(), "the parent folded in a released failure");
        assert_eq!(LOGGED.load(Ordering::SeqCst), 1, "logged other than once");
    });
}

#[test]
fn a_dropped_handle_racing_the_end_and_the_parents_collection_reports_once() {
    loom::model(|| {
        let (parent, child) = parent_and_child();
        let ending = ends_failing(&child);
        let dropping = {
            let child = child.clone();
            thread::spawn(move || child.orphan())
        };
        // The parent collects once its child has ended, racing the drop.
        child.stopped.wait();
        let folded = parent.collect_children();
        ending.join().unwrap();
        dropping.join().unwrap();
        let logged = LOGGED.load(Ordering::SeqCst);
        assert_eq!(
            folded.len() + logged,
            1,
            "folded {} and logged {logged}: a failure must be reported exactly once",
            folded.len()
        );
    });
}

#[test]
fn a_child_added_while_its_parent_ends_is_waited_for_or_refused() {
    loom::model(|| {
        let parent = Node::root();
        let ending = {
            let parent = parent.clone();
            thread::spawn(move || {
                parent.end_children();
            })
        };
        // A spawn racing the end: the new child either gets in (and the
        // end waits for it) or is refused. It ends as soon as it is asked.
        let added = Node::child(&parent, "late", Kind::Spawned, None);
        if let Ok(child) = &added {
            child.please_stop.wait();
            child.finish(None);
        }
        ending.join().unwrap();
        if let Ok(child) = added {
            assert!(
                child.stopped.is_go(),
                "the end returned before its child ended"
            );
        }
        assert!(
            Node::child(&parent, "after", Kind::Spawned, None).is_err(),
            "an ended parent took a child"
        );
    });
}
