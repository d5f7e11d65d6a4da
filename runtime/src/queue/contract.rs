//! The contract every queue of the family keeps, whatever its order: the
//! same close and till semantics, one suite run over [`Queue`] and
//! [`PriorityQueue`](crate::queue::PriorityQueue) by [`close_and_till_contract!`].

/// The tests of the contract, for the queue type `$queue` (which has `new`,
/// `bounded`, `add`, `add_till`, `pop`, `pop_one`, `close`, `len`,
/// `is_empty` and `wait_empty`).
macro_rules! close_and_till_contract {
    ($queue:ident) => {
        use crate::queue::contract::patience;
        use crate::queue::tests::{blocked, joined, spawn};
        use crate::queue::{AddError, PopError};
        use crate::till::Till;
        use std::time::{Duration, Instant};

        #[test]
        fn closing_never_drops_an_item() {
            let queue = $queue::new("closing keeps");
            for n in 0..10 {
                queue.add(n).unwrap();
            }
            queue.close();
            let mut popped: Vec<i32> =
                std::iter::from_fn(|| queue.pop_till(&patience()).ok()).collect();
            popped.sort_unstable(); // each kind of queue has its own order
            assert_eq!(
                popped,
                (0..10).collect::<Vec<_>>(),
                "every item added before the close"
            );
        }

        #[test]
        fn adding_to_a_closed_queue_gives_the_item_back() {
            let queue = $queue::new("closed");
            queue.close();
            let refused = queue.add(String::from("late")).unwrap_err();
            assert!(refused.is_closed());
            assert_eq!(refused.into_inner(), "late");
            assert!(queue.is_empty(), "a refused item is not in the queue");
            let refused = queue
                .add_till(String::from("later"), &patience())
                .unwrap_err();
            assert!(
                matches!(refused, AddError::Closed(_)),
                "add_till refuses too: {refused:?}"
            );
        }

        #[test]
        fn pop_on_a_closed_empty_queue_says_closed_at_once() {
            let queue = $queue::<u8>::new("closed empty");
            queue.close();
            let started = Instant::now();
            assert_eq!(queue.pop_till(&Till::seconds(60.0)), Err(PopError::Closed));
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "pop waited on a drained queue"
            );
            assert_eq!(queue.pop_one(), None);
        }

        #[test]
        fn pop_with_a_till_already_gone_still_returns_an_item_that_is_there() {
            let queue = $queue::new("till gone, item there");
            queue.add(1).unwrap();
            assert_eq!(queue.pop_till(&Till::seconds(0.0)), Ok(1));
        }

        #[test]
        fn pop_with_a_till_already_gone_on_an_empty_queue_says_till_went_at_once() {
            let queue = $queue::<u8>::new("till gone, empty");
            assert_eq!(queue.pop_till(&Till::seconds(0.0)), Err(PopError::TillWent));
        }

        #[test]
        fn pop_gives_up_when_its_till_goes() {
            let queue = $queue::<u8>::new("nothing comes");
            let started = Instant::now();
            assert_eq!(
                queue.pop_till(&Till::seconds(0.02)),
                Err(PopError::TillWent)
            );
            assert!(
                started.elapsed() >= Duration::from_millis(20),
                "gave up before the till"
            );
        }

        #[test]
        fn a_blocked_pop_wakes_when_an_item_is_added() {
            let queue = $queue::new("wakes popper");
            let popper = {
                let queue = queue.clone();
                spawn("popper", move |_| queue.pop_till(&patience()))
            };
            blocked(&popper);
            queue.add(7).unwrap();
            assert_eq!(joined(popper), Ok(7));
        }

        #[test]
        fn a_blocked_pop_wakes_with_closed_when_the_queue_is_closed() {
            let queue = $queue::<u8>::new("closed under popper");
            let popper = {
                let queue = queue.clone();
                spawn("popper", move |_| queue.pop_till(&patience()))
            };
            blocked(&popper);
            queue.close();
            assert_eq!(joined(popper), Err(PopError::Closed));
        }

        #[test]
        fn a_blocked_add_on_a_full_queue_wakes_when_an_item_is_popped() {
            let queue = $queue::bounded("full, then popped", 1);
            queue.add(1).unwrap();
            let adder = {
                let queue = queue.clone();
                spawn("adder", move |_| queue.add(2))
            };
            blocked(&adder);
            assert_eq!(
                queue.len(),
                1,
                "the second add waits while the queue is full"
            );
            assert_eq!(queue.pop_one(), Some(1));
            joined(adder).unwrap();
            assert_eq!(queue.pop_one(), Some(2));
        }

        #[test]
        fn a_blocked_add_on_a_full_queue_gives_the_item_back_when_closed() {
            let queue = $queue::bounded("full, then closed", 1);
            queue.add(1).unwrap();
            let adder = {
                let queue = queue.clone();
                spawn("adder", move |_| queue.add(2).map_err(AddError::into_inner))
            };
            blocked(&adder);
            queue.close();
            assert_eq!(joined(adder), Err(2), "the blocked add gave its item back");
            assert_eq!(
                queue.pop_till(&patience()),
                Ok(1),
                "the item added before the close stays"
            );
            assert_eq!(queue.pop_till(&patience()), Err(PopError::Closed));
        }

        #[test]
        fn add_till_gives_the_item_back_when_its_till_goes() {
            let queue = $queue::bounded("stays full", 1);
            queue.add('a').unwrap();
            let refused = queue.add_till('b', &Till::seconds(0.01)).unwrap_err();
            assert!(
                matches!(refused, AddError::TillWent('b')),
                "got {refused:?}"
            );
            assert_eq!(queue.len(), 1);
        }

        #[test]
        fn wait_empty_wakes_when_the_last_item_is_popped() {
            let queue = $queue::new("emptied");
            queue.add(1).unwrap();
            queue.add(2).unwrap();
            let waiter = {
                let queue = queue.clone();
                spawn("waiter", move |_| queue.wait_empty(&patience()))
            };
            blocked(&waiter);
            assert!(
                !waiter.stopped().is_go(),
                "wait_empty returned with items in the queue"
            );
            queue.pop_one().unwrap();
            queue.pop_one().unwrap();
            assert!(joined(waiter), "woken by the last pop");
        }

        #[test]
        fn wait_empty_gives_up_when_its_till_goes() {
            let queue = $queue::new("never emptied");
            queue.add(1).unwrap();
            assert!(!queue.wait_empty(&Till::seconds(0.01)));
            assert!(queue.wait_empty(&Till::seconds(0.0)) == queue.is_empty());
        }
    };
}

pub(crate) use close_and_till_contract;

/// Far longer than any of these tests should take.
pub(crate) fn patience() -> crate::signal::Signal {
    crate::till::Till::seconds(30.0)
}
