//! Loom models of `Lock`: every interleaving of waits, tills and notifying
//! guard drops.
//!
//! Run with
//! `RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom cargo test -p more-threads --lib --release loom`.
//! A lost notification fails as a loom deadlock ("all threads blocked"); the
//! other properties are assertions.

use super::WAITING;
use crate::lock::Lock;
use crate::signal::Signal;
use loom::sync::atomic::{AtomicBool, Ordering};
use loom::thread;
use std::sync::Arc;

/// Tracks who is inside the lock, outside of it: entering while someone else
/// is inside means the lock did not exclude.
struct Holders(AtomicBool);

impl Holders {
    fn new() -> Holders {
        Holders(AtomicBool::new(false))
    }

    fn enter(&self) {
        assert!(
            !self.0.swap(true, Ordering::SeqCst),
            "two threads were inside the lock at once"
        );
    }

    fn leave(&self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

fn waiters<T>(lock: &Lock<T>) -> usize {
    lock.waiting()
}

#[test]
fn a_guard_dropped_on_another_thread_always_wakes_the_waiter() {
    loom::model(|| {
        let lock = Arc::new(Lock::new(false));
        let never = Signal::new();
        let setter = {
            let lock = lock.clone();
            thread::spawn(move || {
                *lock.lock() = true; // the guard's drop must wake the waiter
            })
        };
        let mut flag = lock.lock();
        while !*flag {
            flag.wait_till(&never);
        }
        drop(flag);
        setter.join().unwrap();
        assert_eq!(
            never.pending_callbacks(),
            0,
            "wait() left its callback on the till"
        );
        assert_eq!(waiters(&lock), 0, "a finished waiter is still queued");
    });
}

#[test]
fn a_wait_racing_its_till_and_a_notify_returns_holding_the_lock_and_tells_the_truth() {
    loom::model(|| {
        let lock = Arc::new(Lock::new(false));
        let holders = Arc::new(Holders::new());
        let till = Signal::new();
        let guard_dropper = {
            let (lock, holders) = (lock.clone(), holders.clone());
            thread::spawn(move || {
                let mut notified = lock.lock();
                holders.enter();
                *notified = true;
                holders.leave();
            })
        };
        let giver_up = {
            let till = till.clone();
            thread::spawn(move || {
                till.go();
            })
        };
        let mut notified = lock.lock();
        holders.enter();
        holders.leave();
        let woken = notified.wait_till(&till);
        holders.enter(); // fails if wait() returned without the lock
        if woken {
            assert!(*notified, "wait() said notified, but no guard was dropped");
        } else {
            assert!(till.is_go(), "wait() gave up, but its till had not gone");
        }
        holders.leave();
        drop(notified);
        guard_dropper.join().unwrap();
        giver_up.join().unwrap();
        assert_eq!(
            till.pending_callbacks(),
            0,
            "wait() left its callback on the till"
        );
        assert_eq!(waiters(&lock), 0, "a waiter that returned is still queued");
    });
}

/// Takes one item, waiting with `till` until it goes and then without a till.
fn take_one(lock: &Lock<usize>, till: &Signal) {
    let never = Signal::new();
    let mut till = till;
    let mut items = lock.lock();
    while *items == 0 {
        if !items.wait_till(till) {
            till = &never; // gave up once; from now on wait to be notified
        }
    }
    *items -= 1;
}

#[test]
fn two_waiters_and_two_notifying_drops_lose_no_notification_to_a_waiter_that_gave_up() {
    loom::model(|| {
        let lock = Arc::new(Lock::new(0_usize));
        let (till, never) = (Signal::new(), Signal::new());
        let consumers: Vec<_> = [&till, &never]
            .into_iter()
            .map(|till| {
                let (lock, till) = (lock.clone(), till.clone());
                thread::spawn(move || take_one(&lock, &till))
            })
            .collect();
        *lock.lock() += 1;
        // The first consumer gives up here, perhaps while being notified.
        till.go();
        *lock.lock() += 1;
        for consumer in consumers {
            consumer.join().unwrap(); // a lost notification hangs one of them
        }
        assert_eq!(*lock.lock(), 0, "each consumer took one item");
        assert_eq!(waiters(&lock), 0, "a finished waiter is still queued");
        assert_eq!(
            never.pending_callbacks(),
            0,
            "wait() left its callback on a till"
        );
    });
}

#[test]
fn a_notification_skips_a_waiter_that_gave_up_and_reaches_the_next() {
    loom::model(|| {
        let lock = Arc::new(Lock::new(0_usize));
        let till = Signal::new();
        let impatient = {
            let (lock, till) = (lock.clone(), till.clone());
            thread::spawn(move || {
                let mut items = lock.lock();
                if *items == 0 && !items.wait_till(&till) && *items == 1 {
                    // It gave up, and the item was added since it queued: that
                    // guard drop must have woken the patient waiter if it was
                    // queued, rather than spent itself on this one. (Its own
                    // drop below would hide a lost notification from a
                    // deadlock check, hence this look at the queue.)
                    assert!(
                        items
                            .monitor()
                            .waiters
                            .iter()
                            .all(|waiter| waiter.outcome.load(Ordering::SeqCst) != WAITING),
                        "the notification went to a waiter that gave up, not to the one still waiting"
                    );
                }
            })
        };
        let patient = {
            let lock = lock.clone();
            thread::spawn(move || {
                let never = Signal::new();
                let mut items = lock.lock();
                while *items == 0 {
                    items.wait_till(&never);
                }
            })
        };
        till.go();
        *lock.lock() += 1;
        impatient.join().unwrap();
        patient.join().unwrap();
        assert_eq!(waiters(&lock), 0, "a finished waiter is still queued");
    });
}
