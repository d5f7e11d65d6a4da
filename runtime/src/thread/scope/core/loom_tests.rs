//! Loom models of the scope's count: a scope's end returns only after every
//! child has counted out, including a child that a running child starts
//! while the end is waiting, and released children are stopped.
//!
//! The OS threads of a real scope are stood for by loom threads that run
//! what a child's thread runs around its worker: `finished`, then the
//! count-out guard.

use super::{CountOut, ScopeCore};
use crate::thread::node::{Kind, Node};
use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::thread;
use std::sync::Arc;

/// A child enrolled as `spawn` enrolls it, without an OS thread.
fn enroll(core: &Arc<ScopeCore>, name: &str) -> (usize, Arc<Node>) {
    let node = Node::child(&core.parent, name, Kind::Spawned, None).unwrap_or_else(|node| node);
    let index = core.enroll(&node);
    (index, node)
}

/// What a child's thread does once its worker returned: says it finished,
/// then (standing for the last drop of what it borrowed) `last_use`, then
/// counts out.
fn child_ends(core: Arc<ScopeCore>, index: usize, node: &Node, last_use: impl FnOnce()) {
    let count_out = CountOut { core, index };
    count_out.core.finished(index, None);
    node.finish(None);
    last_use();
    drop(count_out);
}

#[test]
fn the_end_waits_for_a_child_that_a_child_spawned_while_it_waits() {
    loom::model(|| {
        let core = ScopeCore::new(Node::root());
        let done = Arc::new(AtomicUsize::new(0));
        let (first, first_node) = enroll(&core, "first");
        let spawner = {
            let (core, done) = (core.clone(), done.clone());
            thread::spawn(move || {
                // The first child starts a second one, then ends.
                let (second, second_node) = enroll(&core, "second");
                let late = {
                    let (core, done) = (core.clone(), done.clone());
                    thread::spawn(move || {
                        child_ends(core, second, &second_node, || {
                            done.fetch_add(1, Ordering::SeqCst);
                        });
                    })
                };
                child_ends(core, first, &first_node, || {
                    done.fetch_add(1, Ordering::SeqCst);
                });
                late
            })
        };
        let failures = core.end(false);
        assert_eq!(
            done.load(Ordering::SeqCst),
            2,
            "the end returned while a child could still use what it borrowed"
        );
        assert!(failures.is_empty());
        spawner.join().unwrap().join().unwrap();
    });
}

#[test]
fn a_released_child_is_stopped_by_the_end_and_waited_for() {
    loom::model(|| {
        let core = ScopeCore::new(Node::root());
        let (index, node) = enroll(&core, "background");
        core.release(index);
        let child = {
            let core = core.clone();
            thread::spawn(move || {
                node.please_stop.wait(); // until the end stops it
                child_ends(core, index, &node, || ());
            })
        };
        core.end(false);
        child.join().unwrap();
    });
}

#[test]
fn a_child_born_after_the_scope_began_stopping_is_born_stopped() {
    loom::model(|| {
        let core = ScopeCore::new(Node::root());
        let (index, node) = enroll(&core, "waiting");
        let child = {
            let core = core.clone();
            thread::spawn(move || {
                node.please_stop.wait(); // until the early end stops it
                let (late, late_node) = enroll(&core, "late");
                assert!(
                    late_node.please_stop.is_go(),
                    "a late child was born running"
                );
                child_ends(core.clone(), late, &late_node, || ());
                child_ends(core, index, &node, || ());
            })
        };
        core.end(true);
        child.join().unwrap();
    });
}
