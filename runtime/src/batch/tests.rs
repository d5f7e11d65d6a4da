//! `BatchQueue`: what it promises, one behaviour per test.

use super::BatchQueue;
use crate::promise::Promise;
use crate::signal::Signal;
use crate::test_support as test_log;
use crate::thread::Thread;
use crate::till::Till;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Every batch a sink was given, in order.
type Batches = Arc<Mutex<Vec<Vec<u32>>>>;

/// A sink that records each batch it was given.
fn recorder() -> (Batches, impl FnMut(&[u32]) + Send + 'static) {
    let batches = Arc::new(Mutex::new(Vec::new()));
    let sink = {
        let batches = batches.clone();
        move |batch: &[u32]| batches.lock().unwrap().push(batch.to_vec())
    };
    (batches, sink)
}

#[test]
fn full_batches_go_to_the_sink_in_order_and_never_exceed_the_size() {
    let (batches, sink) = recorder();
    let queue = BatchQueue::new("sized", 10, Duration::from_secs(3600), sink).unwrap();
    for n in 0..35 {
        queue.add(n).unwrap();
    }
    queue.finish().unwrap();
    let batches = batches.lock().unwrap();
    assert!(batches.iter().all(|batch| batch.len() <= 10), "{batches:?}");
    let all: Vec<u32> = batches.iter().flatten().copied().collect();
    assert_eq!(all, (0..35).collect::<Vec<_>>(), "every item, in order");
}

#[test]
fn a_partial_batch_goes_when_max_wait_has_passed() {
    let sent = Promise::new();
    let queue = {
        let sent = sent.clone();
        BatchQueue::new(
            "timed",
            1000,
            Duration::from_millis(20),
            move |batch: &[u32]| {
                let _ = sent.assign(batch.to_vec());
            },
        )
        .unwrap()
    };
    queue.add(1).unwrap();
    queue.add(2).unwrap();
    assert_eq!(
        sent.wait_till(&Till::seconds(30.0)),
        Some(&vec![1, 2]),
        "sent without filling up"
    );
    queue.finish().unwrap();
}

#[test]
fn stopping_its_thread_flushes_every_item_and_refuses_new_ones() {
    let (batches, sink) = recorder();
    let queue = BatchQueue::new("stopped", 1000, Duration::from_secs(3600), sink).unwrap();
    for n in 0..5 {
        queue.add(n).unwrap();
    }
    let forwarder = queue.shared.forwarder.lock().as_ref().unwrap().thread_ref();
    forwarder.stop();
    assert!(forwarder.stopped().wait_till(&Till::seconds(30.0)));
    assert_eq!(
        batches.lock().unwrap().concat(),
        vec![0, 1, 2, 3, 4],
        "flushed on stop"
    );
    assert_eq!(
        queue.add(9).unwrap_err().into_inner(),
        9,
        "closed once stopped"
    );
}

#[test]
fn dropping_the_last_clone_flushes_and_waits() {
    let (batches, sink) = recorder();
    let queue = BatchQueue::new("dropped", 1000, Duration::from_secs(3600), sink).unwrap();
    let clone = queue.clone();
    queue.add(1).unwrap();
    drop(queue);
    clone.add(2).unwrap();
    drop(clone);
    assert_eq!(batches.lock().unwrap().concat(), vec![1, 2]);
}

#[test]
fn a_failing_sink_is_retried_with_the_same_batch() {
    let calls = Arc::new(Mutex::new(Vec::new()));
    let queue = {
        let calls = calls.clone();
        BatchQueue::builder("flaky")
            .retries(2, Duration::from_millis(1))
            .start(move |batch: &[u32]| {
                let mut calls = calls.lock().unwrap();
                calls.push(batch.to_vec());
                if calls.len() < 3 {
                    Err("not yet")
                } else {
                    Ok(())
                }
            })
            .unwrap()
    };
    queue.add(7).unwrap();
    queue.finish().unwrap();
    assert_eq!(*calls.lock().unwrap(), vec![vec![7], vec![7], vec![7]]);
}

#[test]
fn a_batch_the_sink_keeps_failing_goes_to_on_error_with_the_error() {
    let failed = Arc::new(Mutex::new(Vec::new()));
    let queue = {
        let failed = failed.clone();
        BatchQueue::builder("broken")
            .retries(1, Duration::ZERO)
            .on_error(move |batch, error| failed.lock().unwrap().push((batch, error.to_string())))
            .start(|_: &[u32]| Err::<(), _>("disk full"))
            .unwrap()
    };
    queue.add(1).unwrap();
    queue.add(2).unwrap();
    queue.finish().unwrap();
    let failed = failed.lock().unwrap();
    let items: Vec<u32> = failed.iter().flat_map(|(batch, _)| batch.clone()).collect();
    assert_eq!(items, vec![1, 2], "every failed item reached on_error");
    assert!(failed.iter().all(|(_, error)| error == "disk full"));
}

#[test]
fn without_on_error_a_sink_that_keeps_failing_fails_the_thread_saying_how_many_items() {
    let queue = BatchQueue::builder("no-on-error")
        .batch_size(2)
        .retries(1, Duration::ZERO)
        .start(|_: &[u32]| Err::<(), _>("disk full"))
        .unwrap();
    for n in 0..5 {
        queue.add(n).unwrap();
    }
    let error = queue.finish().unwrap_err();
    let chain = format!("{error:#}");
    assert!(
        chain.contains(r#"BatchQueue "no-on-error": 5 items were not written"#),
        "{chain}"
    );
    assert!(
        chain.ends_with("disk full"),
        "the sink's last error is the cause: {chain}"
    );
}

#[test]
fn a_failing_queue_dropped_unfinished_hands_its_failure_to_its_creator() {
    let creator = Thread::run("drops-its-queue", |_| {
        let queue = BatchQueue::builder("dropped-failing")
            .retries(0, Duration::ZERO)
            .start(|_: &[u32]| Err::<(), _>("unreachable database"))?;
        queue.add(1).unwrap();
        drop(queue); // flushes, and the failure goes to this thread
        Ok::<_, crate::thread::ThreadError>(())
    })
    .unwrap();
    let error = creator.join().unwrap_err();
    let chain = format!("{error:#}");
    assert!(chain.contains("1 items were not written"), "{chain}");
    assert!(chain.contains("unreachable database"), "{chain}");
}

#[test]
fn a_sink_failure_that_finish_returns_is_not_also_logged() {
    test_log::capture();
    let queue = BatchQueue::builder("failure-for-finish")
        .retries(0, Duration::ZERO)
        .start(|_: &[u32]| Err::<(), _>("disk full"))
        .unwrap();
    queue.add(1).unwrap();
    let error = queue.finish().unwrap_err();
    let chain = format!("{error:#}");
    assert!(chain.contains("1 items were not written"), "{chain}");
    assert_eq!(
        test_log::records_mentioning("failure-for-finish"),
        Vec::<String>::new(),
        "finish() returned the failure: the log must not report it a second time"
    );
}

#[test]
fn a_sink_failure_nobody_can_receive_is_logged_once() {
    test_log::capture();
    // The creator ends with the queue still held, so neither its join nor
    // finish() will ever see the forwarder's failure: only the log can.
    let creator = Thread::run("hands-its-queue-out", |_| {
        let queue = BatchQueue::builder("failure-for-the-log")
            .retries(0, Duration::ZERO)
            .start(|_: &[u32]| Err::<(), _>("disk full"))?;
        queue.add(1).unwrap();
        Ok::<_, crate::thread::ThreadError>(queue)
    })
    .unwrap();
    let queue = creator.join().unwrap();
    drop(queue);
    let records = test_log::records_mentioning("failure-for-the-log");
    assert_eq!(
        records.len(),
        1,
        "a failure nobody receives is logged, exactly once: {records:#?}"
    );
    assert!(
        records[0].contains("1 items were not written"),
        "{records:#?}"
    );
}

#[test]
fn a_panicking_sink_counts_as_a_failure_not_a_lost_batch() {
    let failed = Arc::new(Mutex::new(Vec::new()));
    let queue = {
        let failed = failed.clone();
        BatchQueue::builder("panicky")
            .retries(0, Duration::ZERO)
            .on_error(move |batch, error| failed.lock().unwrap().push((batch, error.to_string())))
            .start(|_: &[u32]| -> () { panic!("sink exploded") })
            .unwrap()
    };
    queue.add(3).unwrap();
    queue.finish().unwrap();
    let failed = failed.lock().unwrap();
    assert_eq!(failed[0].0, vec![3]);
    assert_eq!(failed[0].1, "the sink panicked: sink exploded");
}

#[test]
fn its_thread_is_a_named_child_of_the_creator() {
    let queue = BatchQueue::builder("forwarder name")
        .start(|_: &[u8]| ())
        .unwrap();
    let path = queue
        .shared
        .forwarder
        .lock()
        .as_ref()
        .unwrap()
        .path()
        .to_owned();
    assert_eq!(path, format!("{}/forwarder name", Thread::current().path()));
    queue.finish().unwrap();
}

#[test]
fn when_the_creator_ends_the_items_are_flushed() {
    let (batches, sink) = recorder();
    let creator = Thread::run("creator", move |_| {
        let queue = BatchQueue::new("inner", 1000, Duration::from_secs(3600), sink)?;
        for n in 0..3 {
            queue.add(n).unwrap();
        }
        std::mem::forget(queue); // neither finished nor dropped: the creator's end stops it
        Ok::<_, crate::thread::ThreadError>(())
    })
    .unwrap();
    creator.join().unwrap();
    assert_eq!(batches.lock().unwrap().concat(), vec![0, 1, 2]);
}

#[test]
#[should_panic(expected = r#"BatchQueue "empty batches" needs a batch size of at least 1"#)]
fn a_batch_size_of_zero_is_refused_naming_the_queue() {
    let _ = BatchQueue::new("empty batches", 0, Duration::from_secs(1), |_: &[u8]| ());
}

#[test]
fn debug_shows_the_name_and_state() {
    let queue = BatchQueue::builder("shown").start(|_: &[u8]| ()).unwrap();
    assert_eq!(
        format!("{queue:?}"),
        r#"BatchQueue("shown", 0 waiting, open)"#
    );
    let _ = Signal::new();
    queue.finish().unwrap();
}
