//! `health()` is bad exactly while something is wrong: a thread blocked
//! past the budget its code declared, a cycle of waits no wait of which can
//! fail, a check that says so; and good again once it is not.
//!
//! Each test waits for states (a verdict), never for time: deadlines from
//! one base instant.

use more_threads::health::ReasonKind;
use more_threads::{Lock, Signal, Thread, health};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Calls `health()` until `wanted` holds of it (60 s from one base instant,
/// then fails saying what it last saw).
fn until(wanted: impl Fn(&health::Health) -> bool) -> health::Health {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let verdict = health();
        if wanted(&verdict) {
            return verdict;
        }
        assert!(Instant::now() < deadline, "never came; last:\n{verdict}");
        std::thread::yield_now();
    }
}

/// Makes its Signal go when dropped: a failed assertion must not leave the
/// test waiting for a child blocked on it.
struct GoesWhenDropped(Signal);

impl Drop for GoesWhenDropped {
    fn drop(&mut self) {
        self.0.go();
    }
}

#[test]
fn a_thread_blocked_past_its_budget_is_named_with_what_it_waits_for_and_since_when() {
    let reply = Signal::named("a reply");
    let _reply_at_the_end = GoesWhenDropped(reply.clone());
    let waiter = {
        let reply = reply.clone();
        Thread::run("budgeted-waiter", move |_please_stop| {
            let _budget = health::budget(Duration::from_millis(20));
            reply.wait();
        })
        .unwrap()
    };
    let mine = |verdict: &health::Health| {
        verdict
            .reasons()
            .iter()
            .find(|reason| reason.path().ends_with("/budgeted-waiter"))
            .cloned()
    };
    let verdict = until(|verdict| mine(verdict).is_some());
    let reason = mine(&verdict).unwrap();
    assert!(!verdict.is_good());
    assert_eq!(reason.kind(), ReasonKind::Stuck, "{verdict}");
    assert!(reason.path().ends_with("/budgeted-waiter"), "{verdict}");
    assert_eq!(reason.state(), "blocked on Signal \"a reply\"", "{verdict}");
    assert!(
        reason.blocked_for().unwrap() > Duration::from_millis(20),
        "{verdict}"
    );
    assert!(verdict.to_string().starts_with("bad: "), "{verdict}");
    assert!(
        verdict
            .to_string()
            .contains("is stuck: blocked on Signal \"a reply\" for ")
    );
    reply.go();
    waiter.join().unwrap();
    until(|verdict| mine(verdict).is_none());
}

#[test]
fn a_wait_shorter_than_the_budget_and_a_thread_without_one_are_well() {
    let reply = Signal::named("a slow reply");
    let waiters: Vec<Thread<()>> = [Some(Duration::from_secs(3600)), None]
        .into_iter()
        .enumerate()
        .map(|(n, budget)| {
            let reply = reply.clone();
            Thread::run(&format!("patient-{n}"), move |_please_stop| {
                let _budget = budget.map(health::budget);
                reply.wait();
            })
            .unwrap()
        })
        .collect();
    let blocked = |verdict: &health::Health| verdict.threads() >= 3;
    let verdict = until(blocked);
    assert!(
        verdict
            .reasons()
            .iter()
            .all(|r| !r.path().contains("/patient-")),
        "{verdict}"
    );
    reply.go();
    for waiter in waiters {
        waiter.join().unwrap();
    }
}

#[test]
fn the_budget_ends_with_its_guard() {
    let reply = Signal::named("after the budget");
    let dropped = Signal::new();
    let waiter = {
        let (reply, dropped) = (reply.clone(), dropped.clone());
        Thread::run("budget-dropped", move |_please_stop| {
            drop(health::budget(Duration::ZERO));
            dropped.go();
            reply.wait();
        })
        .unwrap()
    };
    dropped.wait();
    // Blocked (shown by the dump) with no budget: well.
    let deadline = Instant::now() + Duration::from_secs(60);
    while !more_threads::dump()
        .to_string()
        .contains("after the budget")
    {
        assert!(Instant::now() < deadline, "never blocked");
        std::thread::yield_now();
    }
    let verdict = health();
    assert!(
        verdict
            .reasons()
            .iter()
            .all(|r| !r.path().contains("/budget-dropped")),
        "{verdict}"
    );
    reply.go();
    waiter.join().unwrap();
}

#[test]
fn every_thread_of_a_cycle_no_wait_of_which_can_fail_is_named_as_in_a_deadlock() {
    let release = Signal::named("release");
    let slots: [Arc<Lock<Option<Signal>>>; 2] = [Arc::default(), Arc::default()];
    let threads: Vec<Thread<()>> = (0..2)
        .map(|index| {
            let (slot, release) = (slots[index].clone(), release.clone());
            Thread::run(&format!("health-cycle-{index}"), move |_| {
                let theirs = {
                    let mut slot = slot.lock();
                    while slot.is_none() {
                        slot.wait_till(&Signal::never());
                    }
                    slot.take().unwrap()
                };
                theirs.wait_till(&release);
            })
            .unwrap()
        })
        .collect();
    *slots[0].lock() = Some(threads[1].stopped().clone());
    *slots[1].lock() = Some(threads[0].stopped().clone());
    let verdict = until(|verdict| {
        verdict
            .reasons()
            .iter()
            .filter(|r| r.kind() == ReasonKind::Deadlock)
            .count()
            == 2
    });
    let text = verdict.to_string();
    assert!(
        text.contains("/health-cycle-0 is in a deadlock: "),
        "{text}"
    );
    assert!(
        text.contains("/health-cycle-1 is in a deadlock: "),
        "{text}"
    );
    release.go();
    for thread in threads {
        thread.join().expect("each ends once released");
    }
}
