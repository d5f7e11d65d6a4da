//! Loom models of the deadlock check's protocol: under every interleaving,
//! two threads closing one cycle at once never both go to sleep (the last
//! to publish its wait finds the cycle), and a Lock whose holder has let go
//! is never taken for held (no false alarm).
//!
//! The threads record their Locks' holders as `Lock::lock` does (a relaxed
//! store once the Lock is theirs, a relaxed clear before letting go), then
//! publish their wait; "sleeping" is keeping the wait published until both
//! have checked. (The Lock itself, sleeping included, is modeled in
//! `lock::loom_tests`.)
//!
//! Run with
//! `RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom cargo test -p more-threads --lib --release loom`.

use super::{Closing, Graph, LockWait, On};
use crate::holder::NOBODY;
use crate::raw_lock::RawLock;
use crate::sync::{AtomicUsize, Ordering};
use loom::thread;
use std::sync::Arc;

/// A Lock's record of its holder, and its raw lock (never slept on here).
struct Record {
    owner: AtomicUsize,
    raw: RawLock,
    name: Option<Arc<str>>,
}

impl Record {
    fn new(name: &str) -> Arc<Record> {
        Arc::new(Record {
            name: Some(name.into()),
            owner: AtomicUsize::new(NOBODY),
            raw: RawLock::new(),
        })
    }

    fn wait(&self) -> On {
        // SAFETY: each model keeps the records alive until its threads end.
        On::Lock(unsafe { LockWait::new(&self.name, &self.owner, &self.raw) })
    }
}

/// Counts the threads that have checked; each keeps its wait published
/// ("sleeps") until all have.
fn until_all_checked(checked: &AtomicUsize, all: usize) {
    checked.fetch_add(1, Ordering::SeqCst);
    while checked.load(Ordering::SeqCst) < all {
        thread::yield_now();
    }
}

#[test]
fn loom_two_threads_closing_one_cycle_at_once_never_both_sleep() {
    loom::model(|| {
        let graph = Arc::new(Graph::new());
        let (a, b) = (Record::new("a"), Record::new("b"));
        let checked = Arc::new(AtomicUsize::new(0));
        let crossed = {
            let (graph, a, b, checked) = (graph.clone(), a.clone(), b.clone(), checked.clone());
            thread::spawn(move || {
                b.owner.store(2, Ordering::Relaxed); // holds b
                let waiting = graph.wait(2, a.wait(), Closing::Fails);
                let failed = waiting.is_err();
                until_all_checked(&checked, 2);
                drop(waiting);
                failed
            })
        };
        a.owner.store(1, Ordering::Relaxed); // holds a
        let waiting = graph.wait(1, b.wait(), Closing::Fails);
        let mine = waiting.is_err();
        until_all_checked(&checked, 2);
        drop(waiting);
        let theirs = crossed.join().unwrap();
        assert!(mine || theirs, "both waits of the cycle went to sleep");
        assert!(!(mine && theirs), "both waits of one cycle failed");
    });
}

#[test]
fn loom_a_holder_that_let_go_is_never_taken_for_the_holder() {
    loom::model(|| {
        let graph = Arc::new(Graph::new());
        let (a, b) = (Record::new("a"), Record::new("b"));
        b.owner.store(1, Ordering::Relaxed); // this thread holds b
        let checked = Arc::new(AtomicUsize::new(0));
        let other = {
            let (graph, a, b, checked) = (graph.clone(), a.clone(), b.clone(), checked.clone());
            thread::spawn(move || {
                a.owner.store(2, Ordering::Relaxed); // takes a...
                a.owner.store(NOBODY, Ordering::Relaxed); // ...and lets go
                let waiting = graph.wait(2, b.wait(), Closing::Fails);
                let failed = waiting.is_err();
                until_all_checked(&checked, 2);
                drop(waiting);
                failed
            })
        };
        // Waits for a, which the other thread may hold for a moment: never
        // a cycle, as it lets go of a before it waits for b.
        let waiting = graph.wait(1, a.wait(), Closing::Fails);
        let mine = waiting.is_err();
        until_all_checked(&checked, 2);
        drop(waiting);
        let theirs = other.join().unwrap();
        assert!(!mine && !theirs, "a false alarm");
    });
}
