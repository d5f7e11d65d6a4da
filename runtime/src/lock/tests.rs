use super::Lock;
use crate::signal::Signal;
use crate::test_support::eventually;
use crate::till::Till;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::thread;

fn waiters<T>(lock: &Lock<T>) -> usize {
    lock.waiting()
}

#[test]
fn the_lock_gives_mutual_exclusion() {
    // Miri explores far fewer turns in the time CI gives it.
    const TURNS: u64 = if cfg!(miri) { 100 } else { 10_000 };
    let counter = Arc::new(Lock::named("counter", 0_u64));
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let counter = counter.clone();
            thread::spawn(move || {
                for _ in 0..TURNS {
                    let mut guard = counter.lock();
                    let seen = *guard;
                    *guard = seen + 1;
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    assert_eq!(*counter.lock(), 4 * TURNS, "no increment was lost");
}

#[test]
fn locking_again_from_the_holding_thread_panics_naming_the_lock() {
    let lock = Lock::named("config", 1);
    let _held = lock.lock();
    let panic = catch_unwind(AssertUnwindSafe(|| drop(lock.lock()))).unwrap_err();
    let message = crate::panic::panic_message(&*panic);
    assert!(message.contains(r#"Lock "config""#), "{message}");
    assert!(message.contains("not reentrant"), "{message}");
}

#[test]
fn locking_again_after_the_guard_dropped_is_fine() {
    let lock = Lock::new(1);
    drop(lock.lock());
    *lock.lock() += 1;
    assert_eq!(*lock.lock(), 2);
}

#[test]
fn a_panic_while_holding_the_guard_unlocks_without_poisoning() {
    let lock = Arc::new(Lock::named("survivor", 0));
    let panicker = {
        let lock = lock.clone();
        thread::spawn(move || {
            let mut guard = lock.lock();
            *guard = 7;
            panic!("while holding the lock");
        })
    };
    assert!(panicker.join().is_err());
    assert_eq!(
        *lock.lock(),
        7,
        "the value is as the panicking thread left it"
    );
}

#[test]
fn wait_returns_false_when_the_till_goes_and_still_holds_the_lock() {
    let lock = Lock::named("idle", 0);
    let mut guard = lock.lock();
    assert!(!guard.wait_till(&Till::seconds(0.002)));
    assert_eq!(format!("{lock:?}"), r#"Lock("idle", locked)"#);
    *guard += 1;
    drop(guard);
    assert_eq!(format!("{lock:?}"), r#"Lock("idle", unlocked)"#);
    assert_eq!(waiters(&lock), 0, "the waiter that gave up left the queue");
}

#[test]
fn wait_with_a_gone_till_returns_at_once_without_releasing() {
    let lock = Lock::new(());
    let gone = Signal::new();
    gone.go();
    let mut guard = lock.lock();
    assert!(!guard.wait_till(&gone));
    assert_eq!(gone.pending_callbacks(), 0);
}

#[test]
fn dropping_a_guard_wakes_a_waiter_holding_the_lock_again() {
    let mailbox = Arc::new(Lock::named("mailbox", None::<&str>));
    let reader = {
        let mailbox = mailbox.clone();
        thread::spawn(move || {
            let never = Signal::named("never");
            let mut slot = mailbox.lock();
            while slot.is_none() {
                assert!(
                    slot.wait_till(&never),
                    "only a guard's drop can wake this waiter"
                );
            }
            slot.take()
        })
    };
    eventually("the reader waits", || waiters(&mailbox) == 1);
    *mailbox.lock() = Some("hello");
    assert_eq!(reader.join().unwrap(), Some("hello"));
}

#[test]
fn a_dropped_guard_wakes_the_oldest_waiter_whose_own_drop_wakes_the_next() {
    let lock = Arc::new(Lock::named("turnstile", Vec::new()));
    let threads: Vec<_> = (0..3)
        .map(|index| {
            let shared = lock.clone();
            let handle = thread::spawn(move || {
                let mut guard = shared.lock();
                assert!(guard.wait_till(&Signal::new()));
                guard.push(index);
            });
            // Start them one at a time so their queue order is known.
            eventually("the waiter queued", || waiters(&lock) == index + 1);
            handle
        })
        .collect();
    drop(lock.lock());
    for thread in threads {
        thread.join().unwrap();
    }
    assert_eq!(
        *lock.lock(),
        vec![0, 1, 2],
        "oldest waiter first, one per drop"
    );
    assert_eq!(waiters(&lock), 0);
}

#[test]
fn a_waiter_that_gave_up_passes_the_notification_to_the_next() {
    let lock = Arc::new(Lock::named("relay", 0));
    let impatient_till = Signal::named("impatient");
    let impatient = {
        let (lock, till) = (lock.clone(), impatient_till.clone());
        thread::spawn(move || lock.lock().wait_till(&till))
    };
    eventually("the impatient one waits", || waiters(&lock) == 1);
    let patient = {
        let lock = lock.clone();
        thread::spawn(move || lock.lock().wait_till(&Signal::new()))
    };
    eventually("both wait", || waiters(&lock) == 2);
    // The impatient waiter's till goes while it is still queued ahead of the
    // patient one; the next drop must skip it and reach the patient waiter.
    let guard = lock.lock();
    impatient_till.go();
    drop(guard);
    assert!(!impatient.join().unwrap(), "the impatient waiter gave up");
    assert!(
        patient.join().unwrap(),
        "the notification reached the patient waiter"
    );
}

#[test]
fn lock_is_shareable_and_its_value_reachable_without_locking() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Lock<Vec<u8>>>();
    let mut lock = Lock::<Vec<u8>>::default();
    lock.get_mut().push(1);
    assert_eq!(lock.into_inner(), vec![1]);
}

#[test]
fn debug_never_blocks_and_guard_debug_shows_the_value() {
    let lock = Lock::new(vec![1, 2]);
    assert_eq!(format!("{lock:?}"), r#"Lock("", unlocked)"#);
    let guard = lock.lock();
    assert_eq!(format!("{guard:?}"), "[1, 2]");
    assert_eq!(format!("{lock:?}"), r#"Lock("", locked)"#);
}
