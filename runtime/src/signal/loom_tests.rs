//! Loom models of `Signal`: every interleaving of a few racing operations.
//!
//! Run with
//! `RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom cargo test -p more-threads --lib --release loom`.
//! A model that can lose a wake-up fails as a loom deadlock ("all threads
//! blocked"); the other properties are assertions.

use crate::signal::Signal;
use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::thread;
use std::sync::Arc;

#[test]
fn go_racing_wait_always_wakes_the_waiter() {
    loom::model(|| {
        let signal = Signal::new();
        let waiter = {
            let signal = signal.clone();
            thread::spawn(move || {
                signal.wait();
                assert!(signal.is_go(), "wait() returned before the signal went");
            })
        };
        assert!(signal.go(), "the only go() call triggers the signal");
        waiter.join().unwrap();
    });
}

#[test]
fn go_racing_then_runs_the_callback_exactly_once() {
    loom::model(|| {
        let signal = Signal::new();
        let runs = Arc::new(AtomicUsize::new(0));
        let registrar = {
            let (signal, runs) = (signal.clone(), runs.clone());
            thread::spawn(move || {
                let seen = signal.clone();
                signal.then(move || {
                    assert!(seen.is_go(), "a callback ran before its signal went");
                    runs.fetch_add(1, Ordering::SeqCst);
                });
            })
        };
        signal.go();
        registrar.join().unwrap();
        assert_eq!(
            runs.load(Ordering::SeqCst),
            1,
            "once then() and go() have both returned, the callback ran exactly once"
        );
        assert_eq!(signal.pending_callbacks(), 0, "nothing left to run");
    });
}

#[test]
fn two_racing_go_calls_report_true_to_exactly_one() {
    loom::model(|| {
        let signal = Signal::new();
        let other = {
            let signal = signal.clone();
            thread::spawn(move || signal.go())
        };
        let mine = signal.go();
        let theirs = other.join().unwrap();
        assert!(
            mine ^ theirs,
            "exactly one go() triggers: this thread saw {mine}, the other {theirs}"
        );
        assert!(signal.is_go());
    });
}

#[test]
fn or_built_while_both_inputs_go_goes_and_wakes_its_waiter() {
    loom::model(|| {
        let (a, b) = (Signal::new(), Signal::new());
        let goers: Vec<_> = [&a, &b]
            .into_iter()
            .map(|input| {
                let input = input.clone();
                thread::spawn(move || {
                    input.go();
                })
            })
            .collect();
        let either = &a | &b;
        either.wait();
        assert!(
            a.is_go() || b.is_go(),
            "`a | b` went while neither input had"
        );
        drop(either);
        for goer in goers {
            goer.join().unwrap();
        }
        assert_eq!(a.pending_callbacks(), 0, "a callback was left on `a`");
        assert_eq!(b.pending_callbacks(), 0, "a callback was left on `b`");
    });
}

#[test]
fn and_built_while_both_inputs_go_goes_only_after_both_went() {
    loom::model(|| {
        let (a, b) = (Signal::new(), Signal::new());
        let goers: Vec<_> = [&a, &b]
            .into_iter()
            .map(|input| {
                let input = input.clone();
                thread::spawn(move || {
                    input.go();
                })
            })
            .collect();
        let both = &a & &b;
        {
            // Checked at the moment `both` goes, on whichever thread makes it go.
            let (a, b) = (a.clone(), b.clone());
            both.then(move || {
                assert!(
                    a.is_go() && b.is_go(),
                    "`a & b` went before both inputs had"
                );
            });
        }
        both.wait();
        assert!(
            a.is_go() && b.is_go(),
            "`a & b` went before both inputs had"
        );
        drop(both);
        for goer in goers {
            goer.join().unwrap();
        }
        assert_eq!(a.pending_callbacks(), 0, "a callback was left on `a`");
        assert_eq!(b.pending_callbacks(), 0, "a callback was left on `b`");
    });
}

#[test]
fn an_or_built_and_dropped_while_one_input_goes_goes_and_leaves_no_callback() {
    loom::model(|| {
        let (a, b) = (Signal::new(), Signal::new());
        let goer = {
            let a = a.clone();
            thread::spawn(move || {
                a.go();
            })
        };
        let either = &a | &b;
        if a.is_go() {
            // `a` went, so `a | b` must go (perhaps on the other thread, which
            // runs `a`'s callbacks): a lost wake-up would hang here.
            either.wait();
        }
        drop(either);
        goer.join().unwrap();
        assert_eq!(a.pending_callbacks(), 0, "a callback was left on `a`");
        assert_eq!(
            b.pending_callbacks(),
            0,
            "the dropped `a | b` left its callback on `b`, which never goes"
        );
    });
}

#[test]
fn an_and_built_and_dropped_while_one_input_goes_never_goes_and_leaves_no_callback() {
    loom::model(|| {
        let (a, b) = (Signal::new(), Signal::new());
        let goer = {
            let a = a.clone();
            thread::spawn(move || {
                a.go();
            })
        };
        let both = &a & &b;
        assert!(!both.is_go(), "`a & b` went while `b` had not");
        drop(both);
        goer.join().unwrap();
        assert_eq!(a.pending_callbacks(), 0, "a callback was left on `a`");
        assert_eq!(
            b.pending_callbacks(),
            0,
            "the dropped `a & b` left its callback on `b`, which never goes"
        );
    });
}

#[test]
fn wait_till_racing_both_gos_returns_and_says_which_went() {
    loom::model(|| {
        // A plain Signal stands in for the Till: the timer thread is not
        // modelled, and all it ever does is call `go`.
        let (signal, till) = (Signal::new(), Signal::new());
        let goers: Vec<_> = [&signal, &till]
            .into_iter()
            .map(|input| {
                let input = input.clone();
                thread::spawn(move || {
                    input.go();
                })
            })
            .collect();
        if signal.wait_till(&till) {
            assert!(
                signal.is_go(),
                "wait_till() said true, but the signal had not gone"
            );
        } else {
            assert!(
                till.is_go(),
                "wait_till() gave up, but the till had not gone"
            );
        }
        for goer in goers {
            goer.join().unwrap();
        }
        assert_eq!(
            till.pending_callbacks(),
            0,
            "wait_till() left its callback on the till"
        );
    });
}

#[test]
fn wait_till_racing_its_till_alone_always_gives_up() {
    loom::model(|| {
        // The signal never goes: only the till's callback can wake the waiter.
        let (signal, till) = (Signal::new(), Signal::new());
        let giver_up = {
            let till = till.clone();
            thread::spawn(move || {
                till.go();
            })
        };
        assert!(
            !signal.wait_till(&till),
            "wait_till() said true, but the signal never goes"
        );
        giver_up.join().unwrap();
        assert_eq!(
            till.pending_callbacks(),
            0,
            "wait_till() left its callback on the till"
        );
    });
}

/// A thread that makes `signal` go, racing the model's main thread.
fn goes_on_another_thread(signal: &Signal) -> thread::JoinHandle<()> {
    let signal = signal.clone();
    thread::spawn(move || {
        signal.go();
    })
}

#[test]
fn a_receiver_made_while_the_signal_goes_is_ready_once_both_returned() {
    use crossbeam_channel::TryRecvError;
    loom::model(|| {
        let signal = Signal::new();
        let early = signal.receiver();
        let goer = goes_on_another_thread(&signal);
        // Made before, during or after `go` took the channel: either a clone
        // of the channel `go` drops, or ready at once; never left connected.
        let late = signal.receiver();
        if late.try_recv() == Err(TryRecvError::Disconnected) {
            assert!(
                signal.is_go(),
                "a receiver was ready before the Signal went"
            );
        }
        drop(early);
        goer.join().unwrap();
        assert_eq!(
            late.try_recv(),
            Err(TryRecvError::Disconnected),
            "a receiver made while the Signal went was never made ready"
        );
        assert_eq!(signal.pending_callbacks(), 0, "a receiver left a callback");
    });
}

/// What the async models share: a waker that records its wake-up and
/// unparks the thread that made it, and a poll with it.
mod awaiting {
    use crate::signal::{Signal, Wait};
    use loom::sync::atomic::{AtomicBool, Ordering};
    use std::future::{Future, IntoFuture};
    use std::pin::Pin;
    use std::sync::Arc;
    use std::task::{Context, Poll, Wake, Waker};

    pub(super) struct Unpark {
        woken: AtomicBool,
        thread: loom::thread::Thread,
    }

    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.woken.store(true, Ordering::SeqCst);
            self.thread.unpark();
        }
    }

    impl Unpark {
        /// A waker for the calling thread, and what it records.
        pub(super) fn here() -> (Arc<Unpark>, Waker) {
            let unpark = Arc::new(Unpark {
                woken: AtomicBool::new(false),
                thread: loom::thread::current(),
            });
            (unpark.clone(), Waker::from(unpark))
        }

        /// Parks until this waker is woken: a lost wake-up is a loom
        /// deadlock ("all threads blocked").
        pub(super) fn wait(&self) {
            while !self.woken.load(Ordering::SeqCst) {
                loom::thread::park();
            }
        }
    }

    pub(super) fn poll(future: &mut Wait<'_>, waker: &Waker) -> Poll<()> {
        Pin::new(future).poll(&mut Context::from_waker(waker))
    }

    pub(super) fn future(signal: &Signal) -> Wait<'_> {
        signal.into_future()
    }
}

#[test]
fn go_racing_a_first_poll_never_loses_the_wake_up() {
    use awaiting::{Unpark, future, poll};
    loom::model(|| {
        let signal = Signal::new();
        let goer = goes_on_another_thread(&signal);
        let (unpark, waker) = Unpark::here();
        let mut awaiting = future(&signal);
        if poll(&mut awaiting, &waker).is_pending() {
            unpark.wait();
            assert_eq!(
                poll(&mut awaiting, &waker),
                std::task::Poll::Ready(()),
                "woken, but the Signal had not gone"
            );
        }
        goer.join().unwrap();
        assert_eq!(signal.pending_wakers(), 0, "a waker was left on the Signal");
    });
}

#[test]
fn go_racing_a_poll_from_another_task_wakes_the_latest_waker() {
    use awaiting::{Unpark, future, poll};
    loom::model(|| {
        let signal = Signal::new();
        let goer = goes_on_another_thread(&signal);
        let (_first, first_waker) = Unpark::here();
        let (latest, latest_waker) = Unpark::here();
        let mut awaiting = future(&signal);
        let first = poll(&mut awaiting, &first_waker);
        // The task moved: the second poll's waker must be the one woken.
        if first.is_pending() && poll(&mut awaiting, &latest_waker).is_pending() {
            latest.wait();
            assert!(
                poll(&mut awaiting, &latest_waker).is_ready(),
                "woken, but the Signal had not gone"
            );
        }
        goer.join().unwrap();
        assert_eq!(signal.pending_wakers(), 0, "a waker was left on the Signal");
    });
}

#[test]
fn go_racing_the_drop_of_a_pending_future_leaves_no_waker_and_wakes_the_other() {
    use awaiting::{Unpark, future, poll};
    loom::model(|| {
        let signal = Signal::new();
        let (_, dropped_waker) = Unpark::here();
        let (unpark, waker) = Unpark::here();
        let mut dropped = future(&signal);
        let mut kept = future(&signal);
        let dropped_first = poll(&mut dropped, &dropped_waker);
        let kept_first = poll(&mut kept, &waker);
        assert!(dropped_first.is_pending() && kept_first.is_pending());
        let goer = goes_on_another_thread(&signal);
        drop(dropped);
        // `kept`'s waker is woken, whatever the drop gave back.
        unpark.wait();
        assert!(poll(&mut kept, &waker).is_ready());
        goer.join().unwrap();
        assert_eq!(signal.pending_wakers(), 0, "a waker was left on the Signal");
    });
}

#[test]
fn a_future_dropped_while_the_signal_goes_leaves_nothing_on_it() {
    use awaiting::{Unpark, future, poll};
    loom::model(|| {
        let signal = Signal::new();
        let goer = goes_on_another_thread(&signal);
        let (_unpark, waker) = Unpark::here();
        let mut awaiting = future(&signal);
        let _ = poll(&mut awaiting, &waker);
        drop(awaiting);
        // Before or after `go`: either `go` took the slot, or the drop gave
        // it back; never a slot left taken.
        assert!(
            signal.pending_wakers() == 0,
            "a dropped future left its waker on the Signal"
        );
        goer.join().unwrap();
    });
}
