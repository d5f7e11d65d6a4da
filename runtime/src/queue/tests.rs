//! `Queue`: what it promises, one behaviour per test.

use super::{AddError, ExtendError, PopError, Queue};
use crate::queue::contract::patience;
use crate::signal::Signal;
use crate::thread::Thread;
use crate::till::Till;

/// Runs `f` on a named child thread, keeping whatever it returns as the
/// value (a worker's `Err` would otherwise be the thread's failure).
pub(super) fn spawn<R: Send + 'static>(
    name: &str,
    f: impl FnOnce(&Signal) -> R + Send + 'static,
) -> Thread<Option<R>> {
    Thread::run(name, move |please_stop: &Signal| Some(f(please_stop))).unwrap()
}

/// What a thread made by [`spawn`] returned.
pub(super) fn joined<R>(thread: Thread<Option<R>>) -> R {
    thread.join().unwrap().expect("spawn() always returns Some")
}

/// Waits until the dump shows `thread` blocked (on the queue it waits for),
/// so that a test exercises the sleeping path, not a race it may win.
pub(super) fn blocked<T>(thread: &Thread<T>) {
    eventually(&format!("{} is blocked", thread.path()), || {
        crate::thread::dump::dump()
            .threads()
            .any(|entry| entry.path() == thread.path() && entry.state().starts_with("blocked"))
    });
}

/// Waits until `condition` holds, failing the test after [`patience`].
fn eventually(what: &str, condition: impl Fn() -> bool) {
    let patience = patience();
    while !condition() {
        assert!(!patience.is_go(), "gave up waiting until {what}");
        Till::seconds(0.001).wait();
    }
}

#[test]
fn one_producers_items_pop_in_the_order_it_added_them() {
    let queue = Queue::new("ordered");
    for n in 0..100 {
        queue.add(n).unwrap();
    }
    let popped: Vec<i32> = (0..100)
        .map(|_| queue.pop_till(&patience()).unwrap())
        .collect();
    assert_eq!(popped, (0..100).collect::<Vec<_>>());
}

#[test]
fn clones_share_one_queue() {
    let queue = Queue::new("shared");
    let clone = queue.clone();
    clone.add("via clone").unwrap();
    assert_eq!(queue.pop_one(), Some("via clone"));
    clone.close();
    assert!(
        queue.is_closed(),
        "closing through a clone closes the queue"
    );
}

#[test]
fn add_till_with_a_till_already_gone_still_adds_when_there_is_room() {
    let queue = Queue::bounded("room", 1);
    assert_eq!(queue.add_till(1, &Till::seconds(0.0)), Ok(()));
}

#[test]
fn bounded_zero_hands_each_item_directly_to_a_popper() {
    let queue = Queue::bounded("rendezvous", 0);
    assert_eq!(
        queue.add_till(1, &Till::seconds(0.01)),
        Err(AddError::TillWent(1)),
        "nobody pops: a rendezvous queue holds nothing"
    );
    let popper = {
        let queue = queue.clone();
        spawn("popper", move |_| queue.pop_till(&patience()))
    };
    queue.add(2).unwrap();
    assert_eq!(joined(popper), Ok(2));
    assert_eq!(queue.len(), 0);
}

#[test]
fn pop_all_takes_everything_there_in_order() {
    let queue = Queue::new("pop all");
    for n in 0..5 {
        queue.add(n).unwrap();
    }
    assert_eq!(queue.pop_all(), vec![0, 1, 2, 3, 4]);
    assert!(queue.is_empty());
    assert_eq!(
        queue.pop_all(),
        Vec::<i32>::new(),
        "an empty queue gives an empty Vec"
    );
}

#[test]
fn iter_ends_when_the_queue_is_closed_and_drained() {
    let queue = Queue::new("iterated");
    let consumer = {
        let queue = queue.clone();
        Thread::run("consumer", move |please_stop| {
            queue.iter_till(please_stop).collect::<Vec<_>>()
        })
        .unwrap()
    };
    for n in 0..3 {
        queue.add(n).unwrap();
    }
    queue.close();
    assert_eq!(consumer.join().unwrap(), vec![0, 1, 2]);
}

#[test]
fn iter_ends_when_please_stop_goes() {
    let queue = Queue::<u8>::new("never closed");
    let consumer = {
        let queue = queue.clone();
        Thread::run("consumer", move |please_stop| {
            queue.iter_till(please_stop).count()
        })
        .unwrap()
    };
    blocked(&consumer);
    consumer.stop();
    assert_eq!(consumer.join().unwrap(), 0);
}

#[test]
fn iter_stops_at_once_when_please_stop_has_gone_leaving_the_items() {
    let queue = Queue::new("left for others");
    queue.add(1).unwrap();
    let please_stop = Signal::new();
    please_stop.go();
    assert_eq!(queue.iter_till(&please_stop).next(), None);
    assert_eq!(queue.len(), 1, "the item stays for another popper");
}

#[test]
fn a_thread_that_waits_on_a_signal_again_and_again_keeps_one_wake_up_on_it() {
    let queue = Queue::<u8>::new("callbacks");
    let please_stop = Signal::new();
    let consumer = {
        let (queue, please_stop) = (queue.clone(), please_stop.clone());
        spawn("consumer", move |_| {
            let mut items = queue.iter_till(&please_stop);
            let mut most = 0;
            for _ in 0..3 {
                items.next().unwrap();
                most = most.max(please_stop.pending_callbacks());
            }
            // And pops with the same Signal after the iterator: the same one.
            let _ = queue.pop_till(&Till::seconds(0.0));
            most.max(please_stop.pending_callbacks())
        })
    };
    for n in 0..3 {
        blocked(&consumer);
        queue.add(n).unwrap();
    }
    assert_eq!(
        joined(consumer),
        1,
        "one wake-up for the thread, not one per wait"
    );
    assert_eq!(
        please_stop.pending_callbacks(),
        0,
        "taken back when the thread ended"
    );
}

#[test]
fn a_pop_keeps_no_wake_up_on_its_till_once_its_thread_waits_on_another_or_ends() {
    let queue = Queue::<u8>::new("clean tills");
    let (first, second) = (Signal::named("first"), Signal::named("second"));
    let first_done = Signal::named("first pop done");
    let popper = {
        let (queue, first, second, first_done) = (
            queue.clone(),
            first.clone(),
            second.clone(),
            first_done.clone(),
        );
        spawn("popper", move |_| {
            let popped = queue.pop_till(&first);
            let kept_on_first = first.pending_callbacks();
            first_done.go();
            let gave_up = queue.pop_till(&second);
            (popped, kept_on_first, first.pending_callbacks(), gave_up)
        })
    };
    blocked(&popper);
    queue.add(1).unwrap();
    first_done.wait();
    blocked(&popper); // now in the second pop
    second.go();
    let (popped, kept, after_another, gave_up) = joined(popper);
    assert_eq!(popped, Ok(1));
    assert_eq!(kept, 1, "kept for the thread's next wait on it");
    assert_eq!(after_another, 0, "taken back when it waited on another");
    assert_eq!(gave_up, Err(PopError::TillWent));
    assert_eq!(first.pending_callbacks(), 0);
}

#[test]
fn closed_goes_when_the_queue_is_closed_and_close_reports_who_closed_it() {
    let queue = Queue::<u8>::new("closed signal");
    assert!(!queue.closed().is_go());
    assert!(queue.close(), "the first close closes");
    assert!(!queue.close(), "the second is a no-op");
    assert!(queue.closed().is_go());
}

#[test]
fn a_thread_blocked_in_pop_shows_the_queue_name_in_the_dump() {
    let queue = Queue::<u8>::new("dumped queue");
    let popper = {
        let queue = queue.clone();
        spawn("dump popper", move |please_stop| {
            queue.pop_till(please_stop)
        })
    };
    eventually("the dump shows the popper blocked on the queue", || {
        crate::thread::dump::dump()
            .to_string()
            .contains(r#"blocked on Queue "dumped queue""#)
    });
    popper.stop();
    assert_eq!(joined(popper), Err(PopError::TillWent));
}

#[test]
fn debug_shows_the_name_the_length_and_the_state() {
    let queue = Queue::new("shown");
    queue.add(1).unwrap();
    assert_eq!(format!("{queue:?}"), r#"Queue("shown", 1 items, open)"#);
    queue.close();
    assert_eq!(format!("{queue:?}"), r#"Queue("shown", 1 items, closed)"#);
    queue.pop_one();
    assert_eq!(
        format!("{queue:?}"),
        r#"Queue("shown", 0 items, closed and drained)"#
    );
}

#[test]
fn errors_say_what_happened_and_keep_the_item_out_of_debug() {
    assert_eq!(
        AddError::TillWent(1).to_string(),
        "the queue stayed full until the till went: the item was not added"
    );
    assert_eq!(format!("{:?}", AddError::Closed(vec![1])), "Closed(..)");
    assert_eq!(
        PopError::Closed.to_string(),
        "the queue is closed and drained"
    );
    assert_eq!(
        PopError::TillWent.to_string(),
        "the till went before an item came"
    );
    let boxed: Box<dyn std::error::Error + Send + Sync> = AddError::Closed("x").into();
    assert!(
        boxed.to_string().contains("closed"),
        "usable as a boxed error"
    );
}

#[test]
fn many_producers_and_consumers_with_a_close_lose_and_duplicate_nothing() {
    let queue = Queue::bounded("small stress", 8);
    let producers: Vec<_> = (0..3_u64)
        .map(|p| {
            let queue = queue.clone();
            Thread::run(&format!("producer-{p}"), move |_| {
                (0..1000)
                    .filter(|n| queue.add(p * 1000 + n).is_ok())
                    .count() as u64
            })
            .unwrap()
        })
        .collect();
    let consumers: Vec<_> = (0..3)
        .map(|c| {
            let queue = queue.clone();
            Thread::run(&format!("consumer-{c}"), move |please_stop| {
                queue.iter_till(please_stop).collect::<Vec<u64>>()
            })
            .unwrap()
        })
        .collect();
    Till::seconds(0.002).wait();
    queue.close();
    let accepted: u64 = producers.into_iter().map(|p| p.join().unwrap()).sum();
    let mut popped: Vec<u64> = consumers
        .into_iter()
        .flat_map(|c| c.join().unwrap())
        .collect();
    popped.sort_unstable();
    let distinct = {
        let mut distinct = popped.clone();
        distinct.dedup();
        distinct.len()
    };
    assert_eq!(distinct, popped.len(), "an item was popped twice");
    assert_eq!(
        popped.len() as u64,
        accepted,
        "every accepted item was popped, no other"
    );
}

#[test]
fn extend_adds_every_item_in_order_or_none_if_closed() {
    let queue = Queue::new("extend");
    queue.extend([1, 2, 3]).unwrap();
    queue.add(4).unwrap();
    assert_eq!(queue.pop_all(), vec![1, 2, 3, 4]);
    queue.close();
    assert_eq!(
        queue.extend(vec![5, 6]),
        Err(ExtendError::new(AddError::Closed(vec![5, 6]), 0)),
        "all come back from a closed queue"
    );
}

#[test]
fn an_extend_that_began_before_a_close_adds_every_item() {
    // Bounded to 1 with three items: the extend waits for room twice, and
    // the close comes while it waits.
    let queue = Queue::bounded("extend-vs-close", 1);
    let extender = {
        let queue = queue.clone();
        spawn("extender", move |_| queue.extend([1, 2, 3]))
    };
    blocked(&extender);
    queue.close();
    let never = Signal::never();
    let mut popped = Vec::new();
    while let Ok(item) = queue.pop_till(&never) {
        popped.push(item);
    }
    assert_eq!(joined(extender), Ok(()));
    assert_eq!(
        popped,
        vec![1, 2, 3],
        "accepted as a whole, drained before the end"
    );
}

#[test]
fn extend_till_gives_back_the_items_it_had_no_room_for() {
    let queue = Queue::bounded("extend-till", 2);
    let rest = queue
        .extend_till([1, 2, 3, 4], &Till::seconds(0.01))
        .unwrap_err();
    assert_eq!(rest, ExtendError::new(AddError::TillWent(vec![3, 4]), 2));
    assert_eq!(queue.pop_all(), vec![1, 2]);
}

#[test]
fn extend_tills_error_says_how_many_items_were_added_and_how_many_were_not() {
    let queue = Queue::bounded("extend-till-count", 3);
    let error = queue.extend_till(1..=10, &Till::seconds(0.01)).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the queue stayed full until the till went: 3 of the 10 items were added, 7 were not"
    );
    assert_eq!(error.added(), 3);
    assert_eq!(error.into_inner(), (4..=10).collect::<Vec<_>>());
    let one_left = Queue::bounded("extend-till-one", 1);
    let error = one_left
        .extend_till([1, 2], &Till::seconds(0.01))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "the queue stayed full until the till went: 1 of the 2 items was added, 1 was not"
    );
}

#[test]
fn extend_on_a_full_bounded_queue_gives_every_item_back_at_a_close() {
    // Full before it begins: the close comes before any of its items is in,
    // so it gives them all back, as add does (it waited for ever).
    let queue = Queue::bounded("full-extend-vs-close", 1);
    queue.add(0).unwrap();
    let extender = {
        let queue = queue.clone();
        spawn("extender", move |_| queue.extend([1, 2, 3]))
    };
    blocked(&extender);
    queue.close();
    let error = joined(extender).unwrap_err();
    assert!(error.is_closed(), "{error}");
    assert_eq!(error.added(), 0);
    assert_eq!(
        error.into_inner(),
        vec![1, 2, 3],
        "none was added: all back"
    );
    assert_eq!(queue.pop_all(), vec![0]);
}

#[test]
fn add_on_a_full_queue_gives_up_when_its_thread_is_asked_to_stop() {
    let queue = Queue::bounded("full-add-vs-stop", 1);
    queue.add(0).unwrap();
    let adder = {
        let queue = queue.clone();
        spawn("adder", move |_| queue.add(1))
    };
    blocked(&adder);
    adder.stop();
    let error = joined(adder).unwrap_err();
    assert_eq!(error, AddError::Stopped(1), "the item comes back");
    assert_eq!(
        error.to_string(),
        "the queue stayed full until this thread was asked to stop: the item was not added"
    );
    assert_eq!(queue.pop_all(), vec![0]);
}

#[test]
fn extend_on_a_full_queue_gives_up_when_its_thread_is_asked_to_stop_saying_how_many_it_added() {
    let queue = Queue::bounded("full-extend-vs-stop", 2);
    let extender = {
        let queue = queue.clone();
        spawn("extender", move |_| queue.extend([1, 2, 3, 4]))
    };
    blocked(&extender);
    extender.stop();
    let error = joined(extender).unwrap_err();
    assert_eq!(error, ExtendError::new(AddError::Stopped(vec![3, 4]), 2));
    assert_eq!(queue.pop_all(), vec![1, 2]);
}

#[test]
fn add_till_hears_only_its_till_not_the_threads_please_stop() {
    // Signal::never() stays never: asked to stop, the adder still waits,
    // until the close lets it go.
    let queue = Queue::bounded("full-add-till-never", 1);
    queue.add(0).unwrap();
    let adder = {
        let queue = queue.clone();
        spawn("adder", move |_| queue.add_till(1, &Signal::never()))
    };
    blocked(&adder);
    adder.stop();
    assert!(
        !adder.stopped().wait_till(&Till::seconds(0.05)),
        "still waiting after its please_stop went"
    );
    blocked(&adder);
    queue.close();
    assert_eq!(joined(adder), Err(AddError::Closed(1)));
}

#[test]
fn a_unique_queue_refuses_an_item_equal_to_one_waiting_and_takes_it_again_once_popped() {
    let queue = Queue::builder("unique").unique().build();
    queue.add("a").unwrap();
    assert_eq!(
        queue.add("a"),
        Err(AddError::Duplicate("a")),
        "the caller is told, and given the item back"
    );
    queue.extend(["b", "a", "b"]).unwrap();
    assert_eq!(queue.len(), 2);
    assert_eq!(queue.pop_one(), Some("a"));
    queue.add("a").unwrap();
    assert_eq!(queue.pop_all(), vec!["b", "a"]);
    queue.close();
    assert_eq!(queue.add("c"), Err(AddError::Closed("c")));
    queue.close();
}

#[test]
fn a_unique_queue_forgets_an_item_whose_add_failed() {
    let queue = Queue::builder("unique-refused").bounded(1).unique().build();
    queue.add(1).unwrap();
    assert!(
        queue.add_till(2, &Till::seconds(0.0)).is_err(),
        "full, till gone"
    );
    assert_eq!(queue.pop_one(), Some(1));
    queue.add(2).unwrap();
    assert_eq!(queue.pop_one(), Some(2), "2 was not left marked as waiting");
}

#[test]
fn an_adder_waiting_on_a_full_queue_too_long_is_named_in_the_log() {
    crate::test_support::capture();
    let queue = Queue::builder("full-for-a-while")
        .bounded(1)
        .warn_when_full(Some(std::time::Duration::from_millis(20)))
        .build();
    queue.add(0).unwrap();
    let adder = {
        let queue = queue.clone();
        spawn("patient-adder", move |_| queue.add(1))
    };
    eventually("the warning is logged", || {
        !crate::test_support::records_mentioning("full-for-a-while").is_empty()
    });
    let warnings = crate::test_support::records_mentioning("full-for-a-while");
    assert_eq!(warnings.len(), 1, "once per wait: {warnings:?}");
    assert!(
        warnings[0].starts_with("WARN more_threads::queue"),
        "{warnings:?}"
    );
    assert!(
        warnings[0].contains("thread=patient-adder"),
        "names the thread: {warnings:?}"
    );
    assert_eq!(queue.pop_one(), Some(0));
    assert_eq!(joined(adder), Ok(()), "it goes on waiting, and adds");
}

#[test]
fn a_queue_popped_with_the_never_signal_ends_at_the_close_like_any_other() {
    let queue = Queue::bounded("never-popped", 4);
    let popper = {
        let queue = queue.clone();
        spawn("never-popper", move |_| {
            let never = Signal::never();
            let mut popped = Vec::new();
            loop {
                match queue.pop_till(&never) {
                    Ok(item) => popped.push(item),
                    Err(error) => return (popped, error),
                }
            }
        })
    };
    blocked(&popper);
    queue.extend([1, 2]).unwrap();
    queue.close();
    assert_eq!(joined(popper), (vec![1, 2], PopError::Closed));
}

/// The close and till semantics every queue of the family keeps.
mod contract {
    use crate::queue::Queue;
    crate::queue::contract::close_and_till_contract!(Queue);
}

#[test]
fn a_worker_whose_pop_gives_up_on_its_please_stop_ends_quietly_with_question_mark() {
    let jobs: Queue<u32> = Queue::new("quiet-jobs");
    let worker = {
        let jobs = jobs.clone();
        Thread::run("quiet-popper", move |_| -> Result<u32, PopError> {
            let job = jobs.pop()?; // the queue stays empty: it gives up when stopped
            Ok(job)
        })
        .unwrap()
    };
    eventually("the popper waits on the queue", || {
        crate::thread::dump::dump()
            .threads()
            .any(|entry| entry.name() == "quiet-popper" && entry.state().contains("Queue"))
    });
    worker.stop();
    let error = worker.join().unwrap_err();
    assert_eq!(
        error.kind(),
        crate::thread::ThreadErrorKind::Stopped,
        "a stop, not a failure: {error:#}"
    );
    assert!(crate::signal::Stopped::is_in(&PopError::Stopped));
    assert!(crate::signal::Stopped::is_in(&AddError::Stopped(1)));
    assert!(!crate::signal::Stopped::is_in(&PopError::Closed));
}
