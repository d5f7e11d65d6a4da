//! `PriorityQueue`: what it promises, one behaviour per test.

use super::PriorityQueue;
use crate::queue::contract::patience;
use crate::queue::tests::{blocked, joined, spawn};
use crate::queue::{AddError, PopError};
use crate::signal::Signal;
use crate::thread::Thread;
use crate::till::Till;
use std::cmp::Reverse;

#[test]
fn the_greatest_item_pops_first() {
    let queue = PriorityQueue::new("greatest");
    for n in [3, 1, 4, 1, 5, 9, 2, 6] {
        queue.add(n).unwrap();
    }
    let popped: Vec<_> = std::iter::from_fn(|| queue.pop_one()).collect();
    assert_eq!(popped, vec![9, 6, 5, 4, 3, 2, 1, 1]);
}

#[test]
fn reverse_pops_the_smallest_first() {
    let queue = PriorityQueue::new("smallest");
    for n in [3, 1, 2] {
        queue.add(Reverse(n)).unwrap();
    }
    assert_eq!(queue.pop_one(), Some(Reverse(1)));
}

#[test]
fn equal_items_pop_in_the_order_they_were_added() {
    /// Orders by priority only, so equal priorities can be told apart.
    #[derive(Debug, PartialEq, Eq)]
    struct Job(u8, &'static str);
    impl Ord for Job {
        fn cmp(&self, other: &Self) -> std::cmp::Ordering {
            self.0.cmp(&other.0)
        }
    }
    impl PartialOrd for Job {
        fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
            Some(self.cmp(other))
        }
    }
    let queue = PriorityQueue::new("fifo ties");
    for name in ["first", "second", "third"] {
        queue.add(Job(1, name)).unwrap();
    }
    let names: Vec<_> = std::iter::from_fn(|| queue.pop_one().map(|job| job.1)).collect();
    assert_eq!(names, vec!["first", "second", "third"]);
}

#[test]
fn push_front_pops_before_everything_whatever_its_order_newest_first() {
    let queue = PriorityQueue::new("front");
    queue.add(100).unwrap();
    queue.push_front(1).unwrap();
    queue.push_front(2).unwrap();
    assert_eq!(queue.pop_all(), vec![2, 1, 100]);
}

#[test]
fn push_all_front_keeps_the_given_order_ahead_of_the_rest() {
    let queue = PriorityQueue::new("front, all");
    queue.add(100).unwrap();
    queue.push_front(50).unwrap();
    queue.push_all_front([1, 2, 3]).unwrap();
    assert_eq!(queue.pop_all(), vec![1, 2, 3, 50, 100]);
}

#[test]
fn push_front_never_blocks_on_a_full_queue() {
    let queue = PriorityQueue::bounded("full front", 1);
    queue.add(1).unwrap();
    queue.push_front(0).unwrap();
    assert_eq!(queue.len(), 2, "a hand-back may exceed the bound");
}

#[test]
fn closing_never_drops_an_item_and_then_pop_says_closed() {
    let queue = PriorityQueue::new("closing");
    queue.add(1).unwrap();
    queue.add(2).unwrap();
    queue.close();
    assert_eq!(queue.pop_till(&patience()), Ok(2));
    assert_eq!(queue.pop_till(&patience()), Ok(1));
    assert_eq!(queue.pop_till(&patience()), Err(PopError::Closed));
}

#[test]
fn adding_or_pushing_to_a_closed_queue_gives_the_item_back() {
    let queue = PriorityQueue::new("closed");
    queue.close();
    assert_eq!(queue.add(1), Err(AddError::Closed(1)));
    assert_eq!(queue.push_front(2), Err(AddError::Closed(2)));
    assert_eq!(
        queue.push_all_front([3, 4]),
        Err(AddError::Closed(vec![3, 4]))
    );
    assert!(queue.is_empty());
}

#[test]
fn a_blocked_add_gives_the_item_back_when_closed_or_its_till_goes() {
    let queue = PriorityQueue::bounded("full", 1);
    queue.add(1).unwrap();
    assert_eq!(
        queue.add_till(2, &Till::seconds(0.01)),
        Err(AddError::TillWent(2))
    );
    let adder = {
        let queue = queue.clone();
        spawn("adder", move |_| queue.add(3))
    };
    blocked(&adder);
    queue.close();
    assert_eq!(joined(adder), Err(AddError::Closed(3)));
}

#[test]
fn iter_ends_when_closed_and_drained_or_when_please_stop_goes() {
    let queue = PriorityQueue::new("iterated");
    queue.add(1).unwrap();
    queue.add(2).unwrap();
    let please_stop = Signal::new();
    let mut items = queue.iter_till(&please_stop);
    assert_eq!(items.next(), Some(2));
    please_stop.go();
    assert_eq!(items.next(), None, "stopped with an item left");
    queue.close();
    assert_eq!(queue.iter_till(&Signal::new()).collect::<Vec<_>>(), vec![1]);
}

#[test]
fn a_wait_leaves_no_callback_on_its_till() {
    let queue = PriorityQueue::<u8>::new("tills");
    let till = Signal::new();
    let closer = {
        let queue = queue.clone();
        Thread::run("closer", move |_| {
            Till::seconds(0.01).wait();
            queue.close();
        })
        .unwrap()
    };
    assert_eq!(queue.pop_till(&till), Err(PopError::Closed));
    closer.join().unwrap();
    assert_eq!(till.pending_callbacks(), 0);
}

#[test]
#[should_panic(expected = r#"PriorityQueue "zero" cannot be bounded to 0 items"#)]
fn bounded_zero_is_refused_naming_the_queue() {
    let _ = PriorityQueue::<u8>::bounded("zero", 0);
}

#[test]
fn debug_shows_the_name_the_length_and_the_state() {
    let queue = PriorityQueue::new("shown");
    queue.add(1).unwrap();
    assert_eq!(
        format!("{queue:?}"),
        r#"PriorityQueue("shown", 1 items, open)"#
    );
}

/// The close and till semantics every queue of the family keeps.
mod contract {
    use crate::queue::PriorityQueue;
    crate::queue::contract::close_and_till_contract!(PriorityQueue);
}

#[test]
fn add_on_a_full_priority_queue_gives_up_when_its_thread_is_asked_to_stop() {
    let queue = PriorityQueue::bounded("full-priority-add-vs-stop", 1);
    queue.add(0).unwrap();
    let adder = {
        let queue = queue.clone();
        spawn("adder", move |_| queue.add(1))
    };
    blocked(&adder);
    adder.stop();
    assert_eq!(
        joined(adder),
        Err(AddError::Stopped(1)),
        "the item comes back"
    );
    assert_eq!(queue.pop_all(), vec![0]);
}
