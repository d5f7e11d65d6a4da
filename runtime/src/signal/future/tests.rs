//! Awaiting a Signal: what the future promises, one behaviour per test.

use super::Wait;
use crate::signal::Signal;
use crate::test_support::{self as test_log, block_on};
use crate::till::Till;
use std::future::{Future, IntoFuture};
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::thread;

/// A waker that counts its wakes; `Arc::strong_count` counts its clones.
#[derive(Default)]
struct Counting(AtomicUsize);

impl Counting {
    fn wakes(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

impl Wake for Counting {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

fn counting() -> (Arc<Counting>, Waker) {
    let counter = Arc::new(Counting::default());
    (counter.clone(), Waker::from(counter))
}

fn poll_with(future: &mut Wait<'_>, waker: &Waker) -> Poll<()> {
    Pin::new(future).poll(&mut Context::from_waker(waker))
}

/// Runs `scenario` on a thread of its own and fails (rather than hangs) if
/// it has not returned within 30 s: for the tests whose failure would be a
/// deadlock.
fn within_patience(what: &str, scenario: impl FnOnce() + Send + 'static) {
    let done = Signal::named("scenario done");
    let finished = done.clone();
    let runner = thread::spawn(move || {
        scenario();
        finished.go();
    });
    assert!(
        done.wait_till(&Till::seconds(30.0)) || runner.is_finished(),
        "{what}: still running after 30 s (a deadlock?)"
    );
    runner.join().expect("the scenario panicked");
}

#[test]
fn awaiting_a_signal_that_went_is_ready_at_once_and_leaves_no_waker() {
    let signal = Signal::named("went before");
    signal.go();
    let (counter, waker) = counting();
    let mut future = (&signal).into_future();
    assert_eq!(poll_with(&mut future, &waker), Poll::Ready(()));
    assert_eq!(signal.pending_wakers(), 0);
    assert_eq!(Arc::strong_count(&counter), 2, "the waker was cloned");
}

#[test]
fn a_pending_future_leaves_one_waker_that_go_wakes_once() {
    let signal = Signal::named("awaited");
    let (counter, waker) = counting();
    let mut future = (&signal).into_future();
    assert_eq!(poll_with(&mut future, &waker), Poll::Pending);
    assert_eq!(signal.pending_wakers(), 1);
    assert_eq!(counter.wakes(), 0, "woken before go()");
    assert!(signal.go());
    assert_eq!(
        counter.wakes(),
        1,
        "go() did not wake the task exactly once"
    );
    assert_eq!(
        signal.pending_wakers(),
        0,
        "go() left the waker on the Signal"
    );
    assert_eq!(poll_with(&mut future, &waker), Poll::Ready(()));
    assert_eq!(
        poll_with(&mut future, &waker),
        Poll::Ready(()),
        "a Signal stays gone: ready again"
    );
}

#[test]
fn a_poll_from_another_task_replaces_the_waker_and_only_the_new_one_is_woken() {
    let signal = Signal::named("moved task");
    let (first, first_waker) = counting();
    let (second, second_waker) = counting();
    let mut future = (&signal).into_future();
    assert_eq!(poll_with(&mut future, &first_waker), Poll::Pending);
    assert_eq!(poll_with(&mut future, &second_waker), Poll::Pending);
    assert_eq!(signal.pending_wakers(), 1, "the second poll added a waker");
    assert_eq!(
        Arc::strong_count(&first),
        2,
        "the replaced waker was kept (on the Signal or in the future)"
    );
    signal.go();
    assert_eq!(first.wakes(), 0, "the replaced waker was woken");
    assert_eq!(second.wakes(), 1, "the latest waker was not woken");
}

#[test]
fn polls_from_the_same_task_clone_its_waker_only_once() {
    let signal = Signal::named("polled often");
    let (counter, waker) = counting();
    let mut future = (&signal).into_future();
    assert_eq!(poll_with(&mut future, &waker), Poll::Pending);
    let registered = Arc::strong_count(&counter);
    for _ in 0..100 {
        assert_eq!(poll_with(&mut future, &waker), Poll::Pending);
    }
    assert_eq!(
        Arc::strong_count(&counter),
        registered,
        "a poll whose waker would wake the same task cloned it again"
    );
    assert_eq!(signal.pending_wakers(), 1);
    drop(future);
    assert_eq!(
        Arc::strong_count(&counter),
        2,
        "a dropped future kept a clone of the waker"
    );
}

#[test]
fn dropping_a_pending_future_takes_its_waker_off_the_signal() {
    let signal = Signal::named("abandoned");
    let (counter, waker) = counting();
    let mut future = (&signal).into_future();
    assert_eq!(poll_with(&mut future, &waker), Poll::Pending);
    drop(future);
    assert_eq!(signal.pending_wakers(), 0);
    signal.go();
    assert_eq!(counter.wakes(), 0, "a dropped future's task was woken");
}

#[test]
fn futures_made_and_dropped_by_the_thousand_keep_the_signal_bounded() {
    // A `select!` loop whose other arm wins: each turn polls a new future
    // once and drops it, while a few long-lived ones stay pending.
    let please_stop = Signal::named("please_stop of a select loop");
    let (_, waker) = counting();
    let mut kept: Vec<Wait<'_>> = (0..3).map(|_| (&please_stop).into_future()).collect();
    for future in &mut kept {
        assert_eq!(poll_with(future, &waker), Poll::Pending);
    }
    let turns = if cfg!(miri) { 100 } else { 10_000 };
    for turn in 0..turns {
        let mut future = (&please_stop).into_future();
        assert_eq!(poll_with(&mut future, &waker), Poll::Pending);
        assert_eq!(please_stop.pending_wakers(), 4, "turn {turn}");
    }
    assert_eq!(
        please_stop.pending_wakers(),
        3,
        "wakers were left behind by dropped futures"
    );
    kept.clear();
    assert_eq!(please_stop.pending_wakers(), 0);
}

#[test]
fn a_future_that_owns_its_signal_is_static_and_woken_from_another_thread() {
    fn assert_static_send<F: Future + Send + 'static>(_: &F) {}
    let signal = Signal::named("owned");
    let future = signal.clone().into_future();
    assert_static_send(&future);
    let goer = {
        let signal = signal.clone();
        thread::spawn(move || {
            // Once the task's waker is on the Signal, so that the wake-up
            // is what ends the wait, not the first poll.
            test_log::eventually("the task's waker is on the Signal", || {
                signal.pending_wakers() == 1
            });
            signal.go()
        })
    };
    block_on(future);
    assert!(goer.join().unwrap());
}

#[test]
fn awaiting_a_combination_is_woken_when_one_input_goes() {
    let (reply, please_stop) = (Signal::named("reply"), Signal::named("please_stop"));
    let goer = {
        let reply = reply.clone();
        thread::spawn(move || reply.go())
    };
    block_on(async { (&reply | &please_stop).await });
    assert!(reply.is_go());
    goer.join().unwrap();
    assert_eq!(
        please_stop.pending_callbacks(),
        0,
        "the awaited combination left its callback on please_stop"
    );
}

#[test]
fn awaiting_a_till_puts_it_on_the_timer_and_ends_when_it_goes() {
    let till = Till::seconds(0.01);
    assert!(!till.is_armed(), "a new Till is on no timer yet");
    let mut future = (&till).into_future();
    let (_, waker) = counting();
    if poll_with(&mut future, &waker).is_pending() {
        assert!(
            till.is_armed(),
            "the first poll did not put the Till on the timer"
        );
    }
    block_on(future);
    assert!(till.is_go());
}

#[test]
fn awaiting_never_is_pending_and_keeps_no_waker() {
    let never = Signal::never();
    let (counter, waker) = counting();
    let mut future = (&never).into_future();
    assert_eq!(poll_with(&mut future, &waker), Poll::Pending);
    assert_eq!(never.pending_wakers(), 0);
    assert_eq!(Arc::strong_count(&counter), 2, "a waker was kept for never");
}

#[test]
fn go_wakes_outside_the_lock_so_a_waker_that_polls_at_once_does_not_deadlock() {
    // Some executors run a woken task inline, inside `wake`: here the task
    // is polled again from the waker, on the thread that called go(), and
    // goes on to hang a callback on the Signal, which takes its lock: go()
    // must not hold it then.
    struct Inline {
        signal: Signal,
        outcome: std::sync::Mutex<Option<Poll<()>>>,
    }
    impl Wake for Inline {
        fn wake(self: Arc<Self>) {
            let waker = Waker::from(self.clone());
            let mut again = (&self.signal).into_future();
            let polled = poll_with(&mut again, &waker);
            // Resumed, the task goes on with the Signal: hangs a callback on
            // it (which takes its lock).
            let outcome = Arc::new(std::sync::Mutex::new(None));
            let told = outcome.clone();
            self.signal
                .then(move || *told.lock().unwrap() = Some(polled));
            *self.outcome.lock().unwrap() = outcome.lock().unwrap().take();
        }
    }
    within_patience("a waker that polls inline", || {
        let signal = Signal::named("inline executor");
        let inline = Arc::new(Inline {
            signal: signal.clone(),
            outcome: std::sync::Mutex::new(None),
        });
        let waker = Waker::from(inline.clone());
        let mut future = (&signal).into_future();
        assert_eq!(poll_with(&mut future, &waker), Poll::Pending);
        signal.go();
        assert_eq!(*inline.outcome.lock().unwrap(), Some(Poll::Ready(())));
    });
}

#[test]
fn a_waker_whose_drop_takes_the_signals_lock_is_dropped_outside_it() {
    // Dropping a waker may drop the last reference to a task, and with it
    // a future on this same Signal: replaced, removed or woken, a waker is
    // never dropped under the Signal's lock.
    struct DropsOnTheSignal {
        signal: Signal,
        drops: Arc<AtomicUsize>,
    }
    impl Wake for DropsOnTheSignal {
        fn wake(self: Arc<Self>) {}
    }
    impl Drop for DropsOnTheSignal {
        fn drop(&mut self) {
            // Takes the Signal's lock, as a future dropped with a task would.
            let _ = self.signal.pending_wakers();
            self.drops.fetch_add(1, Ordering::SeqCst);
        }
    }
    within_patience("a waker dropped under the lock", || {
        let signal = Signal::named("drops on itself");
        let drops = Arc::new(AtomicUsize::new(0));
        let waker = |signal: &Signal| {
            Waker::from(Arc::new(DropsOnTheSignal {
                signal: signal.clone(),
                drops: drops.clone(),
            }))
        };
        let mut replaced = (&signal).into_future();
        let _ = poll_with(&mut replaced, &waker(&signal));
        let _ = poll_with(&mut replaced, &waker(&signal)); // replaces the first
        let mut removed = (&signal).into_future();
        let _ = poll_with(&mut removed, &waker(&signal));
        drop(removed);
        signal.go(); // wakes and drops the second
        drop(replaced);
        assert_eq!(drops.load(Ordering::SeqCst), 3, "every waker dropped once");
    });
}

#[test]
fn a_panicking_waker_is_logged_and_the_other_tasks_are_still_woken() {
    struct Panics;
    impl Wake for Panics {
        fn wake(self: Arc<Self>) {
            panic!("this executor's waker broke");
        }
    }
    test_log::capture();
    let signal = Signal::named("panicky-waker");
    let (before, before_waker) = counting();
    let (after, after_waker) = counting();
    let mut futures: Vec<Wait<'_>> = (0..3).map(|_| (&signal).into_future()).collect();
    let wakers = [before_waker, Waker::from(Arc::new(Panics)), after_waker];
    for (future, waker) in futures.iter_mut().zip(&wakers) {
        assert_eq!(poll_with(future, waker), Poll::Pending);
    }
    assert!(signal.go(), "go() itself does not panic");
    assert_eq!(
        (before.wakes(), after.wakes()),
        (1, 1),
        "a task was not woken"
    );
    let logged = test_log::records_mentioning("panicky-waker");
    assert_eq!(logged.len(), 1, "logged once: {logged:?}");
    assert!(
        logged[0].starts_with("ERROR more_threads::signal")
            && logged[0].contains("this executor's waker broke"),
        "{logged:?}"
    );
}

#[test]
fn a_thread_parked_in_block_on_is_woken_by_go_from_another_thread() {
    let rounds = if cfg!(miri) { 5 } else { 200 };
    for round in 0..rounds {
        let signal = Signal::named("round");
        let goer = {
            let signal = signal.clone();
            thread::spawn(move || signal.go())
        };
        // go() before, during or after the first poll: never a lost wake-up
        // (block_on fails the test after 30 s unwoken).
        block_on(async { (&signal).await });
        assert!(goer.join().unwrap(), "round {round}");
        assert_eq!(signal.pending_wakers(), 0, "round {round}");
    }
}

#[test]
fn a_future_shows_its_signal_and_whether_it_is_registered() {
    let signal = Signal::named("please_stop");
    let mut future = (&signal).into_future();
    assert_eq!(
        format!("{future:?}"),
        r#"Wait { signal: Signal("please_stop", waiting), registered: false }"#
    );
    let _ = poll_with(&mut future, Waker::noop());
    assert_eq!(
        format!("{future:?}"),
        r#"Wait { signal: Signal("please_stop", waiting), registered: true }"#
    );
    let mut pinned = pin!(future);
    signal.go();
    assert_eq!(
        pinned
            .as_mut()
            .poll(&mut Context::from_waker(Waker::noop())),
        Poll::Ready(())
    );
}
