//! A tokio service beside a thread tree: its tasks await the tree's Signals
//! and a worker's Promise, and are woken by OS threads, blocking none of the
//! executor's.
//!
//! Every wait has a deadline (`PATIENCE`), so a lost wake-up fails the test
//! instead of hanging it; nothing sleeps and hopes: the threads wait for the
//! state they need (a task's waker on the Signal) before they act.

use more_threads::{Promise, Signal, Thread, Till};
use std::future::IntoFuture;
use std::time::Duration;
use tokio::time::{sleep, timeout};

/// Long enough never to run out on a working build, however loaded.
const PATIENCE: Duration = Duration::from_secs(30);

/// Blocks this OS thread until `condition` holds, looking every
/// millisecond; panics, saying `what`, after `PATIENCE`. For the threads of
/// the tree, which wait for a task to have reached a state before acting.
fn wait_for(what: &str, condition: impl Fn() -> bool) {
    let deadline = Till::after(PATIENCE);
    while !condition() {
        assert!(!deadline.is_go(), "never happened: {what}");
        Till::seconds(0.001).or(&deadline).wait();
    }
}

#[tokio::test]
async fn a_tokio_task_awaiting_a_signal_is_woken_by_go_on_a_thread_of_the_tree() {
    let reply = Signal::named("reply");
    let task = tokio::spawn(reply.clone().into_future());
    let replier = {
        let reply = reply.clone();
        Thread::run("replier", move |_| {
            // Once the task waits: its wake-up, not its first poll, ends it.
            wait_for("the task's waker is on the Signal", || {
                reply.pending_wakers() == 1
            });
            reply.go()
        })
        .expect("a thread")
    };
    timeout(PATIENCE, task)
        .await
        .expect("the task was never woken")
        .expect("the task panicked");
    assert!(replier.join().expect("the replier"), "its go() triggered");
    assert_eq!(reply.pending_wakers(), 0);
}

#[tokio::test]
async fn a_tokio_task_awaiting_a_trees_please_stop_ends_when_the_tree_is_stopped() {
    let tree = Thread::run("tree", |please_stop| please_stop.wait()).expect("a thread");
    let server = {
        let please_stop = tree.please_stop().clone();
        tokio::spawn(async move {
            please_stop.await;
            "the server stopped"
        })
    };
    // The server runs on this thread: yield to it until it awaits.
    timeout(PATIENCE, async {
        while tree.please_stop().pending_wakers() == 0 {
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("the server never awaited please_stop");
    tree.stop();
    let said = timeout(PATIENCE, server)
        .await
        .expect("the server never heard please_stop")
        .expect("the server panicked");
    assert_eq!(said, "the server stopped");
    tree.join().expect("the tree");
}

#[tokio::test]
async fn a_select_loop_over_please_stop_and_a_timer_keeps_at_most_one_waker() {
    let please_stop = Signal::named("please_stop of the loop");
    let enough = Signal::named("enough turns");
    // Stops the loop from a thread, once the loop has turned a while.
    let stopper = {
        let (please_stop, enough) = (please_stop.clone(), enough.clone());
        Thread::run("stopper", move |_| {
            assert!(
                enough.wait_till(&Till::after(PATIENCE)),
                "the loop never turned"
            );
            please_stop.go();
        })
        .expect("a thread")
    };
    let turns = timeout(PATIENCE, async {
        let mut turns = 0_u32;
        while !please_stop.is_go() {
            assert_eq!(
                please_stop.pending_wakers(),
                0,
                "turn {turns}: the last turn's future left its waker"
            );
            tokio::select! {
                () = &please_stop => break,
                () = sleep(Duration::from_micros(100)) => {
                    turns += 1;
                    assert!(please_stop.pending_wakers() <= 1, "turn {turns}: wakers piled up");
                    if turns == 200 {
                        enough.go();
                    }
                }
            }
        }
        turns
    })
    .await
    .expect("the loop never saw please_stop go");
    assert!(turns >= 200, "stopped after {turns} turns");
    assert_eq!(please_stop.pending_wakers(), 0);
    stopper.join().expect("the stopper");
}

#[tokio::test]
async fn a_pinned_please_stop_future_polled_every_turn_keeps_one_waker() {
    let please_stop = Signal::named("please_stop, pinned");
    let stop = (&please_stop).into_future();
    tokio::pin!(stop);
    let mut turns = 0_u32;
    let outcome = timeout(PATIENCE, async {
        loop {
            tokio::select! {
                () = &mut stop => break,
                () = tokio::task::yield_now() => {
                    turns += 1;
                    assert_eq!(please_stop.pending_wakers(), 1, "turn {turns}");
                    if turns == 1000 {
                        please_stop.go();
                    }
                }
            }
        }
    })
    .await;
    outcome.expect("the pinned future never saw please_stop go");
    assert_eq!(turns, 1000, "the loop ended before please_stop went");
    assert_eq!(please_stop.pending_wakers(), 0);
}

#[tokio::test]
async fn a_hundred_tasks_awaiting_one_signal_are_all_woken_by_one_go() {
    let please_stop = Signal::named("please_stop of a hundred tasks");
    let tasks: Vec<_> = (0..100)
        .map(|index| {
            let please_stop = please_stop.clone();
            tokio::spawn(async move {
                please_stop.await;
                index
            })
        })
        .collect();
    timeout(PATIENCE, async {
        while please_stop.pending_wakers() < 100 {
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("the tasks never all waited");
    let goer = {
        let please_stop = please_stop.clone();
        Thread::run("goer", move |_| please_stop.go()).expect("a thread")
    };
    let mut sum = 0;
    for task in tasks {
        sum += timeout(PATIENCE, task)
            .await
            .expect("a task was never woken")
            .expect("a task panicked");
    }
    assert_eq!(sum, (0..100).sum::<i32>());
    assert!(goer.join().expect("the goer"));
    assert_eq!(please_stop.pending_wakers(), 0);
}

#[tokio::test]
async fn a_promise_kept_by_a_worker_is_awaited_by_a_tokio_task() {
    let total = Promise::named("total");
    let worker = {
        let total = total.clone();
        Thread::run("adder", move |please_stop| {
            let mut sum = 0_u64;
            for i in 1..=1000 {
                if please_stop.is_go() {
                    break;
                }
                sum += i;
            }
            total.keep(sum)
        })
        .expect("a thread")
    };
    let sum = timeout(PATIENCE, total)
        .await
        .expect("the promise never came")
        .expect("kept: ours is the last handle");
    assert_eq!(sum, 500_500);
    worker.join().expect("the worker");
}

#[tokio::test]
async fn tasks_awaiting_a_reference_to_a_promise_all_see_the_value() {
    let config = Promise::<String>::named("config");
    let readers: Vec<_> = (0..10)
        .map(|_| {
            let config = config.clone();
            tokio::spawn(async move { (&config).await.len() })
        })
        .collect();
    let loader = {
        let config = config.clone();
        Thread::run("loader", move |_| {
            config.assign(String::from("port = 8080"))
        })
        .expect("a thread")
    };
    for reader in readers {
        let read = timeout(PATIENCE, reader)
            .await
            .expect("a reader was never woken")
            .expect("a reader panicked");
        assert_eq!(read, "port = 8080".len());
    }
    loader.join().expect("the loader");
    assert_eq!(config.assigned().pending_wakers(), 0);
}

#[tokio::test]
async fn a_task_that_makes_a_signal_go_runs_on_the_thread_of_the_task_awaiting_it() {
    // A current-thread runtime: one OS thread for both tasks. An await that
    // blocked its thread would starve the goer forever (the deadline fails
    // the test).
    let signal = Signal::named("between two tasks");
    let awaiting = tokio::spawn(signal.clone().into_future());
    let goer = {
        let signal = signal.clone();
        tokio::spawn(async move {
            while signal.pending_wakers() == 0 {
                tokio::task::yield_now().await;
            }
            signal.go()
        })
    };
    let (awaited, went) = timeout(PATIENCE, async { (awaiting.await, goer.await) })
        .await
        .expect("the two tasks never both ended");
    awaited.expect("the awaiting task panicked");
    assert!(went.expect("the goer panicked"));
}
