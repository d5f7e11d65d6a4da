//! Deadlocks are named the moment they close: a Lock wait that would never
//! end panics, a join that would never end returns `Err`, each naming every
//! thread and wait of the cycle, in order; contention that ends raises
//! nothing.
//!
//! Each test waits for states (a thread shown blocked by `dump()`, a Signal
//! gone), never for time, so that the order in which the cycle closes is the
//! one the test names.

use more_threads::{
    Lock, Signal, Thread, ThreadError, Till, dump, thread::JoinTillError, thread::ThreadErrorKind,
};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn message(error: &ThreadError) -> String {
    format!("{error:#}")
}

/// Waits until the thread whose path ends with `/{name}` shows `state` in
/// the dump (60 s from one base instant, then fails saying what it saw).
fn until_shown(name: &str, state: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    let suffix = format!("/{name}");
    loop {
        let drawn = dump();
        if drawn
            .threads()
            .any(|thread| thread.path().ends_with(&suffix) && thread.state().contains(state))
        {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{name} never showed `{state}`:\n{drawn}"
        );
        std::thread::yield_now();
    }
}

/// A child that takes `ledger` (held by the caller), once the dump shows it
/// asleep on it: the deadlock check has its wait.
fn blocked_on(ledger: &Arc<Lock<i32>>, name: &str) -> Thread<()> {
    let child = {
        let ledger = ledger.clone();
        Thread::run(name, move |_| *ledger.lock() += 1).unwrap()
    };
    until_shown(
        name,
        &format!("blocked on Lock {:?}", ledger.name().unwrap_or("")),
    );
    child
}

/// Makes its Signal go when dropped.
struct GoesWhenDropped(Signal);

impl Drop for GoesWhenDropped {
    fn drop(&mut self) {
        self.0.go();
    }
}

/// The path of this test's thread, as the tree names it, for messages.
fn here() -> String {
    Thread::current().path().to_owned()
}

#[test]
fn two_threads_taking_two_locks_in_opposite_orders_fail_the_one_that_closes_the_cycle() {
    let a = Arc::new(Lock::named("ledger-a", 0));
    let b = Arc::new(Lock::named("ledger-b", 0));
    let second_has_b = Signal::named("second has b");
    let first = {
        let (a, b, other_has_b) = (a.clone(), b.clone(), second_has_b.clone());
        Thread::run("transfer-1", move |_| {
            let mut a = a.lock();
            other_has_b.wait();
            let mut b = b.lock(); // waits for transfer-2
            *a += 1;
            *b += 1;
        })
        .unwrap()
    };
    let second = {
        let (a, b, has_b) = (a.clone(), b.clone(), second_has_b.clone());
        Thread::run("transfer-2", move |_| {
            let mut b = b.lock();
            has_b.go();
            until_shown("transfer-1", "blocked on Lock \"ledger-b\"");
            let mut a = a.lock(); // closes the cycle
            *a += 1;
            *b += 1;
        })
        .unwrap()
    };
    let failure = second.join().expect_err("transfer-2 closed the cycle");
    assert_eq!(failure.kind(), ThreadErrorKind::Panicked);
    let here = here();
    assert!(
        message(&failure).ends_with(&format!(
            "panicked: deadlock: {here}/transfer-2 waits for Lock \"ledger-a\" held by {here}/transfer-1, \
             which waits for Lock \"ledger-b\" held by {here}/transfer-2"
        )),
        "{failure:#}"
    );
    first
        .join()
        .expect("transfer-1 went through once transfer-2 let go");
    assert_eq!(
        (*a.lock(), *b.lock()),
        (1, 1),
        "only transfer-1 went through"
    );
}

#[test]
fn either_order_of_closing_fails_exactly_one_of_two_crossed_transfers() {
    // No control of who closes: whoever it is, one fails, one goes through.
    for _ in 0..20 {
        let a = Arc::new(Lock::named("a", 0));
        let b = Arc::new(Lock::named("b", 0));
        let both_hold = Arc::new(std::sync::Barrier::new(2));
        let transfer = |first: Arc<Lock<i32>>, second: Arc<Lock<i32>>, name: &str| {
            let both_hold = both_hold.clone();
            Thread::run(name, move |_| {
                let mut first = first.lock();
                both_hold.wait();
                let mut second = second.lock();
                *first += 1;
                *second += 1;
            })
            .unwrap()
        };
        let one = transfer(a.clone(), b.clone(), "ab");
        let two = transfer(b.clone(), a.clone(), "ba");
        let outcomes = [one.join(), two.join()];
        let failed: Vec<_> = outcomes.iter().filter(|outcome| outcome.is_err()).collect();
        assert_eq!(failed.len(), 1, "{outcomes:?}");
        assert!(message(failed[0].as_ref().unwrap_err()).contains("deadlock: "));
        assert_eq!((*a.lock(), *b.lock()), (1, 1));
    }
}

#[test]
fn a_cycle_of_three_threads_is_named_in_order() {
    let locks: Vec<Arc<Lock<u8>>> = ["x", "y", "z"]
        .into_iter()
        .map(|name| Arc::new(Lock::named(name, 0)))
        .collect();
    let holding: Vec<Signal> = (0..3).map(|_| Signal::new()).collect();
    let all_hold = Signal::all(holding.iter());
    let threads: Vec<Thread<()>> = (0..3)
        .map(|index| {
            let mine = locks[index].clone();
            let next = locks[(index + 1) % 3].clone();
            let (holds, all_hold) = (holding[index].clone(), all_hold.clone());
            Thread::run(&format!("t{index}"), move |_| {
                let _mine = mine.lock();
                holds.go();
                all_hold.wait();
                drop(next.lock());
            })
            .unwrap()
        })
        .collect();
    let failures: Vec<String> = threads
        .into_iter()
        .filter_map(|thread| thread.join().err())
        .map(|error| message(&error))
        .collect();
    assert_eq!(failures.len(), 1, "{failures:?}");
    let here = here();
    let failure = &failures[0];
    // Told from the thread that closed it, whichever it was.
    let cycle = [
        format!("{here}/t0 waits for Lock \"y\" held by {here}/t1"),
        format!("{here}/t1 waits for Lock \"z\" held by {here}/t2"),
        format!("{here}/t2 waits for Lock \"x\" held by {here}/t0"),
    ];
    let told = failure.split("deadlock: ").nth(1).expect(failure);
    let starts = cycle
        .iter()
        .position(|step| told.starts_with(step.as_str()))
        .unwrap_or_else(|| panic!("{failure}"));
    let expected = (0..3)
        .map(|turn| {
            let step = &cycle[(starts + turn) % 3];
            if turn == 0 {
                step.clone()
            } else {
                // ", which waits for ..." drops the waiter, named just before.
                step.split_once(' ').unwrap().1.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(", which ");
    assert_eq!(told, expected);
}

#[test]
fn a_join_of_a_child_waiting_for_a_lock_the_joiner_holds_returns_would_deadlock() {
    let ledger = Arc::new(Lock::named("ledger", 0));
    let held = ledger.lock();
    let child = blocked_on(&ledger, "wants-the-ledger");
    let failure = child.join().expect_err("the join would never end");
    assert_eq!(failure.kind(), ThreadErrorKind::WouldDeadlock);
    let here = here();
    assert_eq!(
        failure.to_string(),
        format!(
            "thread {here}/wants-the-ledger: deadlock: {here} joins {here}/wants-the-ledger, \
             which waits for Lock \"ledger\" held by {here}"
        )
    );
    drop(held);
    // The child was not harmed: it takes the Lock once it is free.
    let deadline = Instant::now() + Duration::from_secs(60);
    while *ledger.lock() == 0 {
        assert!(Instant::now() < deadline, "the child never took the ledger");
        std::thread::yield_now();
    }
}

#[test]
fn a_child_that_wants_a_lock_its_joining_parent_holds_panics_naming_the_cycle() {
    let ledger = Arc::new(Lock::named("ledger", 0));
    let parent_joins = Signal::named("parent joins");
    let outcome = {
        let (ledger, parent_joins) = (ledger.clone(), parent_joins.clone());
        Thread::run("parent", move |_| {
            let _held = ledger.lock();
            let child = {
                let ledger = ledger.clone();
                Thread::run("child", move |_| {
                    until_shown("parent", "joining");
                    drop(ledger.lock());
                })
                .unwrap()
            };
            parent_joins.go();
            // A plain value: an `Err` returned would fail the parent.
            child
                .join()
                .err()
                .map(|failure| (failure.kind(), message(&failure)))
        })
        .unwrap()
        .join()
        .unwrap()
    };
    let (kind, failure) = outcome.expect("the child's Lock wait closed the cycle");
    assert_eq!(kind, ThreadErrorKind::Panicked);
    let here = here();
    assert!(
        failure.ends_with(&format!(
            "deadlock: {here}/parent/child waits for Lock \"ledger\" held by {here}/parent, \
             which joins {here}/parent/child"
        )),
        "{failure}"
    );
}

#[test]
fn a_scope_whose_end_closes_a_cycle_fails_the_childs_lock_wait() {
    let ledger = Lock::named("ledger", 0);
    let held = ledger.lock();
    let outcome = more_threads::scope(|scope| {
        scope.spawn("borrower", |_| drop(ledger.lock()));
        until_shown("borrower", "blocked on Lock \"ledger\"");
        // The scope's end waits for the borrower, which waits for the Lock
        // this thread holds until after the scope: the end closes the cycle.
    });
    drop(held);
    let failure = outcome.expect_err("the borrower's wait was failed");
    let here = here();
    assert!(
        message(&failure).contains(&format!(
            "deadlock: {here}/borrower waits for Lock \"ledger\" held by {here}, \
             which waits at the end of its scope for {here}/borrower"
        )),
        "{failure:#}"
    );
}

#[test]
fn a_cycle_through_join_till_fails_the_join_till() {
    let ledger = Arc::new(Lock::named("ledger", 0));
    let held = ledger.lock();
    let child = blocked_on(&ledger, "slow-reader");
    match child.join_till(&Till::seconds(3600.0)) {
        Err(JoinTillError::Failed(failure)) => {
            assert_eq!(failure.kind(), ThreadErrorKind::WouldDeadlock);
            assert!(failure.to_string().contains("deadlock: "), "{failure}");
        }
        other => panic!("expected WouldDeadlock at once, got {other:?}"),
    }
    drop(held);
}

#[test]
fn a_holder_that_lets_go_after_a_while_raises_nothing() {
    let ledger = Arc::new(Lock::named("ledger", 0));
    let held = ledger.lock();
    let waiter = blocked_on(&ledger, "patient");
    drop(held);
    waiter.join().expect("contention that ends is no deadlock");
    assert_eq!(*ledger.lock(), 1);
}

#[test]
fn eight_threads_taking_two_locks_in_one_order_raise_nothing() {
    let a = Arc::new(Lock::named("first", 0_u64));
    let b = Arc::new(Lock::named("second", 0_u64));
    let threads: Vec<Thread<()>> = (0..8)
        .map(|index| {
            let (a, b) = (a.clone(), b.clone());
            Thread::run(&format!("ordered-{index}"), move |_| {
                for _ in 0..2_000 {
                    let mut a = a.lock();
                    let mut b = b.lock();
                    *a += 1;
                    *b += 1;
                }
            })
            .unwrap()
        })
        .collect();
    for thread in threads {
        thread.join().expect("one order never deadlocks");
    }
    assert_eq!((*a.lock(), *b.lock()), (16_000, 16_000));
}

#[test]
fn a_wait_on_the_stopped_signal_of_a_child_that_wants_a_held_lock_fails_the_childs_wait() {
    let ledger = Arc::new(Lock::named("ledger", 0));
    let held = ledger.lock();
    let child = blocked_on(&ledger, "stopped-watcher");
    // A Signal wait cannot fail: it sleeps, and the child's Lock wait, the
    // one of the cycle that can, fails instead; the child then ends.
    child.stopped().wait();
    drop(held);
    let failure = child.join().expect_err("the child's Lock wait was failed");
    let here = here();
    assert!(
        message(&failure).ends_with(&format!(
            "deadlock: {here}/stopped-watcher waits for Lock \"ledger\" held by {here}, \
             which waits for the end of {here}/stopped-watcher"
        )),
        "{failure:#}"
    );
}

#[test]
fn a_signal_that_is_no_threads_end_is_never_followed() {
    // The same shape through a plain Signal: anyone may make it go, so it
    // is no edge, and the holder's wait on it raises nothing.
    let ledger = Arc::new(Lock::named("ledger", 0));
    let held = ledger.lock();
    let done = Signal::named("done");
    let child = {
        let (ledger, done) = (ledger.clone(), done.clone());
        Thread::run("signals-done", move |_| {
            *ledger.lock() += 1;
            done.go();
        })
        .unwrap()
    };
    until_shown("signals-done", "blocked on Lock \"ledger\"");
    assert!(
        !done.wait_till(&Till::seconds(0.05)),
        "the child cannot go before the Lock is free"
    );
    drop(held);
    done.wait();
    child
        .join()
        .expect("no alarm: a plain Signal is not followed");
}

#[test]
fn a_cycle_no_wait_of_which_can_fail_is_marked_by_the_dump_and_named_in_it() {
    // Two threads each waiting for the other's end: no Lock wait to fail,
    // no wait that can fail. The dump marks both and names the cycle.
    let release = Signal::named("release");
    // Released however the test ends: a failed assertion must not leave
    // the test's thread waiting for its children at its end.
    let _release_at_the_end = GoesWhenDropped(release.clone());
    let slots: [Arc<Lock<Option<Signal>>>; 2] = [Arc::default(), Arc::default()];
    let threads: Vec<Thread<()>> = (0..2)
        .map(|index| {
            let (slot, release) = (slots[index].clone(), release.clone());
            Thread::run(&format!("waits-for-the-other-{index}"), move |_| {
                let theirs = {
                    let mut slot = slot.lock();
                    while slot.is_none() {
                        slot.wait_till(&Signal::never());
                    }
                    slot.take().unwrap()
                };
                // Ends at the release, or at the other's end after it.
                theirs.wait_till(&release);
            })
            .unwrap()
        })
        .collect();
    *slots[0].lock() = Some(threads[1].stopped().clone());
    *slots[1].lock() = Some(threads[0].stopped().clone());
    let deadline = Instant::now() + Duration::from_secs(60);
    let drawn = loop {
        let drawn = dump();
        if drawn.deadlocks().count() == 1 {
            break drawn;
        }
        assert!(Instant::now() < deadline, "no cycle shown:\n{drawn}");
        std::thread::yield_now();
    };
    let marked: Vec<&str> = drawn
        .threads()
        .filter(|thread| thread.in_deadlock())
        .map(|thread| thread.name())
        .collect();
    assert_eq!(
        marked,
        ["waits-for-the-other-0", "waits-for-the-other-1"],
        "{drawn}"
    );
    // Told from whichever thread closed it.
    let cycle = drawn.deadlocks().next().unwrap();
    let here = here();
    let told = [
        format!(
            "deadlock: {here}/waits-for-the-other-0 waits for the end of {here}/waits-for-the-other-1, \
             which waits for the end of {here}/waits-for-the-other-0"
        ),
        format!(
            "deadlock: {here}/waits-for-the-other-1 waits for the end of {here}/waits-for-the-other-0, \
             which waits for the end of {here}/waits-for-the-other-1"
        ),
    ];
    assert!(told.iter().any(|told| told == cycle), "{cycle}");
    assert!(drawn.to_string().contains(", in a deadlock\n"), "{drawn}");
    release.go();
    for thread in threads {
        thread.join().expect("each ends once released");
    }
}
