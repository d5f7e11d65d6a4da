//! Awaiting Signals and Promises needs no async runtime: the executor here
//! is written in the test, a few lines over `std` (a thread-parking waker,
//! `block_on`, and a join of two futures on one thread).
//!
//! Every wait has a deadline, so a lost wake-up fails the test instead of
//! hanging it.

use more_threads::{Promise, Signal, Thread, Till};
use std::future::{Future, IntoFuture};
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::mpsc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread;
use std::time::{Duration, Instant};

/// Long enough never to run out on a working build, however loaded.
const PATIENCE: Duration = Duration::from_secs(30);

/// Wakes a thread parked in `block_on`.
struct Unpark(thread::Thread);

impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

/// Runs `future` to its end on this thread, parked between polls until it
/// is woken; panics if it is left unwoken for `PATIENCE`.
fn block_on<F: Future>(future: F) -> F::Output {
    let deadline = Instant::now() + PATIENCE;
    let waker = Waker::from(Arc::new(Unpark(thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(!left.is_zero(), "the future was never woken");
        // Woken, or spuriously: either way, poll again.
        thread::park_timeout(left);
    }
}

/// Both futures, polled in turn on one thread, until both are done.
async fn join<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
    let (mut a, mut b) = (pin!(a), pin!(b));
    let (mut a_out, mut b_out) = (None, None);
    std::future::poll_fn(move |cx| {
        if a_out.is_none() {
            if let Poll::Ready(out) = a.as_mut().poll(cx) {
                a_out = Some(out);
            }
        }
        if b_out.is_none() {
            if let Poll::Ready(out) = b.as_mut().poll(cx) {
                b_out = Some(out);
            }
        }
        if a_out.is_some() && b_out.is_some() {
            Poll::Ready((a_out.take().unwrap(), b_out.take().unwrap()))
        } else {
            Poll::Pending
        }
    })
    .await
}

/// Which of two futures ended first (the other is dropped): `select!`,
/// which takes anything `IntoFuture`, as tokio's does.
enum First<A, B> {
    Left(A),
    Right(B),
}

async fn first<A: IntoFuture, B: IntoFuture>(a: A, b: B) -> First<A::Output, B::Output> {
    let (mut a, mut b) = (pin!(a.into_future()), pin!(b.into_future()));
    std::future::poll_fn(move |cx| {
        if let Poll::Ready(out) = a.as_mut().poll(cx) {
            return Poll::Ready(First::Left(out));
        }
        if let Poll::Ready(out) = b.as_mut().poll(cx) {
            return Poll::Ready(First::Right(out));
        }
        Poll::Pending
    })
    .await
}

/// Ready on its second poll: lets the other future of a `join` run.
async fn yield_once() {
    let mut yielded = false;
    std::future::poll_fn(move |cx| {
        if yielded {
            Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    })
    .await
}

/// Runs `scenario` on a thread of its own; panics, saying `what`, if it
/// has not ended within `PATIENCE` (a future that blocked its thread would
/// never reach `block_on`'s own deadline).
fn within_patience<T: Send + 'static>(
    what: &str,
    scenario: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (done, outcome) = mpsc::channel();
    thread::spawn(move || {
        let _ = done.send(scenario());
    });
    outcome
        .recv_timeout(PATIENCE)
        .unwrap_or_else(|_| panic!("{what}: not done after {PATIENCE:?}"))
}

#[test]
fn a_thread_parked_in_block_on_is_woken_when_a_worker_is_stopped() {
    let worker = Thread::run("worker", |please_stop| {
        while !please_stop.is_go() {
            (please_stop | Till::seconds(0.001)).wait();
        }
        "stopped"
    })
    .expect("a thread");
    let stopper = {
        let please_stop = worker.please_stop().clone();
        let stopped = worker.stopped().clone();
        thread::spawn(move || {
            // Once main awaits `stopped`, so that a wake-up ends its wait.
            let deadline = Till::after(PATIENCE);
            while stopped.pending_wakers() == 0 && !deadline.is_go() {
                Till::seconds(0.001).or(&deadline).wait();
            }
            please_stop.go();
        })
    };
    // The worker's `stopped`, awaited: its async join.
    block_on(async { worker.stopped().await });
    assert_eq!(worker.join().expect("the worker"), "stopped");
    stopper.join().expect("the stopper");
}

#[test]
fn one_thread_runs_both_the_task_awaiting_a_signal_and_the_task_that_makes_it_go() {
    let (awaited, went) = within_patience("two tasks on one thread", || {
        let signal = Signal::named("between two tasks");
        block_on(join(
            async {
                (&signal).await;
                "awaited"
            },
            async {
                // The other task waits first; an await that blocked the
                // thread would never let this run.
                yield_once().await;
                signal.go()
            },
        ))
    });
    assert_eq!(awaited, "awaited");
    assert!(went, "the second task's go() triggered it");
}

#[test]
fn a_promise_kept_by_a_worker_is_taken_by_awaiting_it() {
    let result = Promise::named("result");
    let worker = {
        let result = result.clone();
        Thread::run("worker", move |_| result.keep(vec![1, 2, 3])).expect("a thread")
    };
    let taken = block_on(result.into_future()).expect("kept: the last handle is ours");
    assert_eq!(taken, [1, 2, 3]);
    worker.join().expect("the worker");
}

#[test]
fn racing_please_stop_against_a_till_every_turn_leaves_nothing_on_please_stop() {
    let please_stop = Signal::named("please_stop of a select loop");
    let mut turns = 0;
    while !please_stop.is_go() {
        let tick = Till::seconds(0.0005);
        match block_on(first(&please_stop, &tick)) {
            First::Left(()) => break,
            First::Right(()) => turns += 1,
        }
        assert_eq!(
            please_stop.pending_wakers(),
            0,
            "turn {turns}: a dropped future left its waker"
        );
        if turns == 300 {
            please_stop.go();
        }
    }
    assert_eq!(turns, 300);
    assert_eq!(please_stop.pending_callbacks(), 0);
}

#[test]
fn a_future_polled_by_hand_is_pending_until_go_and_its_task_woken_once() {
    struct Counting(std::sync::atomic::AtomicUsize);
    impl Wake for Counting {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    }
    let wakes = Arc::new(Counting(0.into()));
    let waker = Waker::from(wakes.clone());
    let signal = Signal::named("by hand");
    let mut future = (&signal).into_future();
    let mut cx = Context::from_waker(&waker);
    assert_eq!(Pin::new(&mut future).poll(&mut cx), Poll::Pending);
    assert_eq!(Pin::new(&mut future).poll(&mut cx), Poll::Pending);
    signal.go();
    assert_eq!(wakes.0.load(std::sync::atomic::Ordering::SeqCst), 1);
    assert_eq!(Pin::new(&mut future).poll(&mut cx), Poll::Ready(()));
}
