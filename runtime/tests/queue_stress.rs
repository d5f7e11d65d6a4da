//! Stress test of `Queue`: 4 producers and 4 consumers move a million items
//! while a closer closes the queue half-way, and consumers give up at random
//! with `pop(&till)` (tills already gone, and tills of a few microseconds).
//!
//! Checked: every item accepted by `add` is popped exactly once (by sum and
//! count, and no item twice); every item refused comes back in the error; no
//! add that started after `close()` returned is accepted; and each consumer
//! sees each producer's items in the order they were added.
//!
//! The full 1,000,000 items, twice (unbounded and bounded(1024)), take
//! about a second in a debug build on two cores, so nothing is scaled down.

use more_threads::queue::{AddError, PopError, Queue};
use more_threads::{Signal, Thread, Till};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

const ITEMS: u64 = 1_000_000;

const PRODUCERS: u64 = 4;
const CONSUMERS: u64 = 4;
/// An item is `producer << SHIFT | sequence number`.
const SHIFT: u32 = 40;

/// A small, fast, deterministic random number generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// What one producer did.
#[derive(Default)]
struct Produced {
    accepted: u64,
    accepted_sum: u128,
    refused: u64,
}

/// What one consumer popped.
#[derive(Default)]
struct Consumed {
    count: u64,
    sum: u128,
    gave_up: u64,
    items: Vec<u64>,
}

fn produce(
    queue: &Queue<u64>,
    producer: u64,
    closed_returned: &AtomicBool,
    accepted_so_far: &AtomicU64,
) -> Produced {
    let mut produced = Produced::default();
    for sequence in 0..ITEMS / PRODUCERS {
        let item = producer << SHIFT | sequence;
        // Read before the add starts: if close() had already returned, the
        // add must be refused.
        let after_close = closed_returned.load(Ordering::SeqCst);
        match queue.add(item) {
            Ok(()) => {
                assert!(
                    !after_close,
                    "item {item:#x} was accepted by an add that started after close() returned"
                );
                produced.accepted += 1;
                produced.accepted_sum += u128::from(item);
                if produced.accepted % 1024 == 0 {
                    accepted_so_far.fetch_add(1024, Ordering::Relaxed);
                }
            }
            Err(AddError::Closed(back)) => {
                assert_eq!(back, item, "the refused add gave back another item");
                produced.refused += 1;
            }
            Err(AddError::TillWent(_)) => unreachable!("add() has no till"),
            Err(AddError::Stopped(_)) => unreachable!("nobody asks the producers to stop"),
            Err(other) => panic!("an add failed for another reason: {other}"),
        }
    }
    produced
}

fn consume(queue: &Queue<u64>, consumer: u64) -> Consumed {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (consumer + 1));
    let never = Signal::new();
    let mut consumed = Consumed::default();
    let mut last_seen = [None::<u64>; PRODUCERS as usize];
    loop {
        // One pop in 8 with a till already gone, one in 64 with a till of
        // 20 µs: they give up whenever they find the queue empty.
        let popped = match rng.next() % 64 {
            0..=7 => queue.pop_till(&Till::seconds(0.0)),
            8 => queue.pop_till(&Till::after(Duration::from_micros(20))),
            _ => queue.pop_till(&never),
        };
        match popped {
            Ok(item) => {
                let (producer, sequence) = (item >> SHIFT, item & ((1 << SHIFT) - 1));
                let last = &mut last_seen[producer as usize];
                assert!(
                    last.is_none_or(|last| last < sequence),
                    "consumer {consumer} saw producer {producer}'s item {sequence} after {last:?}"
                );
                *last = Some(sequence);
                consumed.count += 1;
                consumed.sum += u128::from(item);
                consumed.items.push(item);
            }
            Err(PopError::TillWent) => consumed.gave_up += 1,
            Err(PopError::Closed) => return consumed,
            Err(other) => panic!("a pop failed for another reason: {other}"),
        }
    }
}

fn stress(queue: Queue<u64>) {
    let closed_returned = Arc::new(AtomicBool::new(false));
    let accepted_so_far = Arc::new(AtomicU64::new(0));
    let producers: Vec<_> = (0..PRODUCERS)
        .map(|producer| {
            let (queue, closed_returned) = (queue.clone(), closed_returned.clone());
            let accepted_so_far = accepted_so_far.clone();
            Thread::run(&format!("producer-{producer}"), move |_| {
                Ok::<_, std::convert::Infallible>(produce(
                    &queue,
                    producer,
                    &closed_returned,
                    &accepted_so_far,
                ))
            })
        })
        .collect::<Result<_, _>>()
        .unwrap();
    let consumers: Vec<_> = (0..CONSUMERS)
        .map(|consumer| {
            let queue = queue.clone();
            Thread::run(&format!("consumer-{consumer}"), move |_| {
                Ok::<_, std::convert::Infallible>(consume(&queue, consumer))
            })
        })
        .collect::<Result<_, _>>()
        .unwrap();
    let closer = {
        let (queue, closed_returned) = (queue.clone(), closed_returned.clone());
        let accepted_so_far = accepted_so_far.clone();
        Thread::run("closer", move |_| {
            // Close about half-way, while the producers are busy adding.
            while accepted_so_far.load(Ordering::Relaxed) < ITEMS / 2 {
                Till::after(Duration::from_micros(200)).wait();
            }
            assert!(queue.close());
            closed_returned.store(true, Ordering::SeqCst);
        })
        .unwrap()
    };

    closer.join().unwrap();
    let produced: Vec<Produced> = producers
        .into_iter()
        .map(|producer| producer.join().unwrap())
        .collect();
    let consumed: Vec<Consumed> = consumers
        .into_iter()
        .map(|consumer| consumer.join().unwrap())
        .collect();

    let accepted: u64 = produced.iter().map(|p| p.accepted).sum();
    let accepted_sum: u128 = produced.iter().map(|p| p.accepted_sum).sum();
    let refused: u64 = produced.iter().map(|p| p.refused).sum();
    let popped: u64 = consumed.iter().map(|c| c.count).sum();
    let popped_sum: u128 = consumed.iter().map(|c| c.sum).sum();
    let gave_up: u64 = consumed.iter().map(|c| c.gave_up).sum();

    assert_eq!(
        accepted + refused,
        ITEMS,
        "every add was either accepted or refused"
    );
    assert!(
        refused > 0,
        "the close came after every add: the race was not exercised"
    );
    assert_eq!(popped, accepted, "popped count differs from accepted count");
    assert_eq!(
        popped_sum, accepted_sum,
        "popped sum differs from accepted sum"
    );
    let mut all: Vec<u64> = consumed.into_iter().flat_map(|c| c.items).collect();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len() as u64, popped, "an item was popped twice");
    assert!(queue.is_empty());
    eprintln!(
        "{ITEMS} items: {accepted} accepted and popped once, {refused} refused at the close, \
         {gave_up} pops gave up at their till"
    );
}

#[test]
fn unbounded_four_producers_four_consumers_and_a_closer_lose_and_duplicate_nothing() {
    stress(Queue::new("stress, unbounded"));
}

#[test]
fn bounded_four_producers_four_consumers_and_a_closer_lose_and_duplicate_nothing() {
    stress(Queue::bounded("stress, bounded", 1024));
}
