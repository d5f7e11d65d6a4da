//! `Promise`: what it promises, one behaviour per test.

use super::Promise;
use crate::signal::Signal;
use crate::till::Till;

#[test]
fn a_waiter_gets_the_value_assigned_on_another_thread() {
    let promise = Promise::named("answer");
    let assigner = {
        let promise = promise.clone();
        std::thread::spawn(move || {
            Till::seconds(0.01).wait();
            promise.assign(42)
        })
    };
    assert_eq!(promise.wait_till(&Till::seconds(30.0)), Some(&42));
    assigner.join().unwrap().unwrap();
}

#[test]
fn a_kept_promise_can_always_be_taken_by_the_last_other_handle() {
    // `keep` lets go of its handle before the waiter wakes: whatever the
    // interleaving, the waiter's handle is the last one when it looks.
    for round in 0..200 {
        let promise = Promise::new();
        let keeper = promise.clone();
        let thread = std::thread::spawn(move || keeper.keep(round));
        assert_eq!(
            promise.take(&Signal::new()).ok(),
            Some(round),
            "round {round}"
        );
        thread.join().unwrap().unwrap();
    }
}

#[test]
fn keeping_a_promise_that_has_a_value_gives_the_new_one_back() {
    let promise = Promise::new();
    promise.assign(1).unwrap();
    assert_eq!(promise.clone().keep(2).unwrap_err().into_inner(), 2);
    assert_eq!(promise.take(&Signal::new()).ok(), Some(1));
}

#[test]
fn only_the_first_assign_counts_and_the_second_gets_its_value_back() {
    let promise = Promise::new();
    promise.assign("first").unwrap();
    assert_eq!(promise.assign("second").unwrap_err().into_inner(), "second");
    assert_eq!(promise.get(), Some(&"first"));
}

#[test]
fn wait_gives_up_when_its_till_goes() {
    let promise = Promise::<u8>::new();
    assert_eq!(promise.wait_till(&Till::seconds(0.01)), None);
    assert_eq!(
        promise.wait_till(&Till::seconds(0.0)),
        None,
        "a gone till: at once"
    );
}

#[test]
fn take_gives_the_value_to_the_last_handle_and_the_promise_back_otherwise() {
    let promise = Promise::new();
    let other = promise.clone();
    let promise = promise.take(&Till::seconds(0.0)).unwrap_err();
    other.assign(vec![1, 2]).unwrap();
    let promise = promise.take(&Signal::new()).unwrap_err();
    drop(other);
    assert_eq!(promise.take(&Signal::new()).unwrap(), vec![1, 2]);
}

#[test]
fn assigned_goes_with_the_assignment() {
    let promise = Promise::new();
    assert!(!promise.assigned().is_go());
    promise.assign(()).unwrap();
    assert!(promise.assigned().is_go());
}

#[test]
fn debug_names_the_promise_and_its_state_without_the_value() {
    let promise = Promise::named("reply");
    promise.assign(String::from("secret")).unwrap();
    assert_eq!(format!("{promise:?}"), r#"Promise("reply", assigned)"#);
}

mod awaiting {
    //! `(&promise).await` and `promise.await`.

    use super::super::Promise;
    use crate::test_support::block_on;
    use std::future::{Future, IntoFuture};
    use std::pin::Pin;
    use std::task::{Context, Poll, Waker};

    #[test]
    fn awaiting_a_reference_gives_the_value_assigned_on_another_thread() {
        let promise = Promise::named("answer");
        let assigner = {
            let promise = promise.clone();
            std::thread::spawn(move || promise.assign(42))
        };
        assert_eq!(block_on(async { (&promise).await }), &42);
        assigner.join().unwrap().unwrap();
        assert_eq!(promise.assigned().pending_wakers(), 0);
    }

    #[test]
    fn awaiting_a_kept_promise_always_takes_the_value() {
        // `keep` lets go of its handle before the task is woken: whatever
        // the interleaving, the awaited promise is the last handle.
        let rounds = if cfg!(miri) { 5 } else { 200 };
        for round in 0..rounds {
            let promise = Promise::new();
            let keeper = promise.clone();
            let thread = std::thread::spawn(move || keeper.keep(round));
            assert_eq!(
                block_on(promise.into_future()).ok(),
                Some(round),
                "round {round}"
            );
            thread.join().unwrap().unwrap();
        }
    }

    #[test]
    fn awaiting_a_promise_another_handle_shares_gives_it_back_untouched() {
        let promise = Promise::named("shared");
        let other = promise.clone();
        other.assign(String::from("value")).unwrap();
        let promise = block_on(promise.into_future()).unwrap_err();
        assert_eq!(promise.get().map(String::as_str), Some("value"));
        drop(other);
        assert_eq!(block_on(promise.into_future()).unwrap(), "value");
    }

    #[test]
    fn a_future_dropped_before_the_value_comes_leaves_no_waker() {
        let promise = Promise::<u8>::named("not yet");
        let mut cx = Context::from_waker(Waker::noop());
        let mut by_reference = (&promise).into_future();
        assert_eq!(Pin::new(&mut by_reference).poll(&mut cx), Poll::Pending);
        let mut taking = promise.clone().into_future();
        assert!(Pin::new(&mut taking).poll(&mut cx).is_pending());
        assert_eq!(promise.assigned().pending_wakers(), 2);
        drop((by_reference, taking));
        assert_eq!(promise.assigned().pending_wakers(), 0);
    }

    #[test]
    fn the_futures_show_their_promise() {
        let promise = Promise::<u8>::named("reply");
        assert_eq!(
            format!("{:?}", (&promise).into_future()),
            r#"Wait { promise: Promise("reply", waiting), .. }"#
        );
        assert_eq!(
            format!("{:?}", promise.into_future()),
            r#"Take { promise: Some(Promise("reply", waiting)), .. }"#
        );
    }

    #[test]
    #[should_panic(
        expected = r#"Promise("forced", assigned): its assigned() Signal went without a value"#
    )]
    fn awaiting_a_reference_to_a_promise_whose_signal_went_by_hand_panics_naming_it() {
        let promise = Promise::<u8>::named("forced");
        promise.assigned().go();
        block_on(async { (&promise).await });
    }

    #[test]
    #[should_panic(expected = "a promise::Take polled again after it returned Ready")]
    fn polling_a_take_again_after_it_was_ready_panics() {
        let promise = Promise::new();
        promise.assign(1).unwrap();
        let mut taking = promise.into_future();
        let mut cx = Context::from_waker(Waker::noop());
        assert!(matches!(
            Pin::new(&mut taking).poll(&mut cx),
            Poll::Ready(Ok(1))
        ));
        let _ = Pin::new(&mut taking).poll(&mut cx);
    }
}
