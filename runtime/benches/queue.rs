//! Queue benchmarks: ours and the peers side by side, in one group each.
//!
//! * `queue/throughput/{1p1c,2p2c,4p4c}/{unbounded,bounded1024,bounded1}`:
//!   producers add `ITEMS` `u64`s, consumers pop them until the queue is
//!   closed and drained. Ours twice: consumers in `pop(&Signal::never())`
//!   until `PopError::Closed` (nothing to give up on, the channel-level
//!   comparison), and in `iter(&please_stop)` (a real stop signal, as a
//!   stoppable worker pops). Against raw `crossbeam_channel` of the same
//!   shape (`recv` until disconnected; target ≥ 0.9× its throughput) and
//!   `std::sync::mpsc` (target ≥ 1× wherever crossbeam is; with several
//!   consumers its single receiver is shared behind a `Mutex`, which is how
//!   it is done; not for bounded(1), where std runs at 0.06–0.2 M items a
//!   second, crossbeam at millions). The shapes are the group's, not the
//!   machine's: the same lines run unchanged on more cores.
//! * `queue/ping_pong`: one round trip between two threads through two
//!   queues, each side blocked in `pop(&please_stop)` on an empty queue until
//!   the other's `add` wakes it; against the same on two crossbeam channels.
//!   Target: at most 1.15×.
//! * `queue/batch_add`: the caller's cost per item of `BatchQueue::add`
//!   against `Queue::add`, each with its consumer running. Target: at most 1.5×.
//!
//! `ITEMS` is 1,000,000 per iteration rather than 10M: criterion takes at
//! least 10 samples of each of 12 lines, and 10M items would make one run
//! of this file last many minutes on a small machine for no more precision.
//!
//! Run with `cargo bench -p more-threads --bench queue`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use more_threads::{BatchQueue, Queue, Signal};
use std::hint::black_box;
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

const ITEMS: u64 = 1_000_000;

/// Producers and consumers of one throughput line.
#[derive(Clone, Copy)]
struct Shape {
    producers: u64,
    consumers: u64,
    bound: Option<usize>,
}

impl Shape {
    fn name(self) -> String {
        let bound = match self.bound {
            Some(bound) => format!("bounded{bound}"),
            None => "unbounded".to_owned(),
        };
        format!("{}p{}c/{bound}", self.producers, self.consumers)
    }
}

/// How our consumers pop.
#[derive(Clone, Copy)]
enum Popping {
    /// `pop(&Signal::never())` until closed and drained.
    Never,
    /// `iter(&please_stop)`, with a please_stop that does not go.
    PleaseStop,
}

fn ours(shape: Shape, popping: Popping) {
    let queue = match shape.bound {
        Some(bound) => Queue::bounded("bench", bound),
        None => Queue::new("bench"),
    };
    let please_stop = Signal::named("please_stop");
    thread::scope(|scope| {
        for _ in 0..shape.consumers {
            scope.spawn(|| {
                let mut sum = 0_u64;
                match popping {
                    // Ends at PopError::Closed: `never` never goes.
                    Popping::Never => {
                        let never = Signal::never();
                        while let Ok(item) = queue.pop_till(&never) {
                            sum = sum.wrapping_add(item);
                        }
                    }
                    Popping::PleaseStop => {
                        for item in queue.iter_till(&please_stop) {
                            sum = sum.wrapping_add(item);
                        }
                    }
                }
                black_box(sum);
            });
        }
        let producers: Vec<_> = (0..shape.producers)
            .map(|_| {
                scope.spawn(|| {
                    for item in 0..ITEMS / shape.producers {
                        if queue.add(item).is_err() {
                            unreachable!("closed only after the producers");
                        }
                    }
                })
            })
            .collect();
        for producer in producers {
            producer.join().expect("producer");
        }
        queue.close();
    });
}

/// As [`ours`] with `pop(&never)`, the producers being threads of the tree
/// (`more_threads::scope`), whose adds on a full queue hear their own
/// `please_stop`, as a worker's do.
fn ours_from_the_tree(shape: Shape) {
    let queue = match shape.bound {
        Some(bound) => Queue::bounded("bench", bound),
        None => Queue::new("bench"),
    };
    thread::scope(|scope| {
        for _ in 0..shape.consumers {
            scope.spawn(|| {
                let mut sum = 0_u64;
                let never = Signal::never();
                while let Ok(item) = queue.pop_till(&never) {
                    sum = sum.wrapping_add(item);
                }
                black_box(sum);
            });
        }
        more_threads::scope(|tree| {
            for index in 0..shape.producers {
                tree.spawn(format!("producer-{index}"), |_please_stop: &Signal| {
                    for item in 0..ITEMS / shape.producers {
                        if queue.add(item).is_err() {
                            unreachable!("closed only after the producers");
                        }
                    }
                });
            }
        })
        .expect("the producers");
        queue.close();
    });
}

fn crossbeam(shape: Shape) {
    let (sender, receiver) = match shape.bound {
        Some(bound) => crossbeam_channel::bounded(bound),
        None => crossbeam_channel::unbounded(),
    };
    thread::scope(|scope| {
        for _ in 0..shape.consumers {
            let receiver = receiver.clone();
            scope.spawn(move || {
                let mut sum = 0_u64;
                while let Ok(item) = receiver.recv() {
                    sum = sum.wrapping_add(item);
                }
                black_box(sum);
            });
        }
        drop(receiver);
        for _ in 0..shape.producers {
            let sender = sender.clone();
            scope.spawn(move || {
                for item in 0..ITEMS / shape.producers {
                    sender.send(item).expect("receivers alive");
                }
            });
        }
        drop(sender);
    });
}

fn std_mpsc(shape: Shape) {
    match shape.bound {
        Some(bound) => {
            let (sender, receiver) = mpsc::sync_channel::<u64>(bound);
            run_mpsc(
                shape,
                receiver,
                |item, sender| sender.send(item).is_ok(),
                sender,
            );
        }
        None => {
            let (sender, receiver) = mpsc::channel::<u64>();
            run_mpsc(
                shape,
                receiver,
                |item, sender| sender.send(item).is_ok(),
                sender,
            );
        }
    }
}

/// One line on `std::sync::mpsc`: a sender clone per producer; the single
/// receiver behind a `Mutex` when there are several consumers.
fn run_mpsc<S: Clone + Send>(
    shape: Shape,
    receiver: mpsc::Receiver<u64>,
    send: fn(u64, &S) -> bool,
    sender: S,
) {
    let receiver = Arc::new(Mutex::new(receiver));
    thread::scope(|scope| {
        for _ in 0..shape.consumers {
            let receiver = receiver.clone();
            scope.spawn(move || {
                let mut sum = 0_u64;
                if shape.consumers == 1 {
                    let receiver = receiver.lock().expect("receiver");
                    while let Ok(item) = receiver.recv() {
                        sum = sum.wrapping_add(item);
                    }
                } else {
                    loop {
                        let item = receiver.lock().expect("receiver").recv();
                        match item {
                            Ok(item) => sum = sum.wrapping_add(item),
                            Err(_) => break,
                        }
                    }
                }
                black_box(sum);
            });
        }
        for _ in 0..shape.producers {
            let sender = sender.clone();
            scope.spawn(move || {
                for item in 0..ITEMS / shape.producers {
                    assert!(send(item, &sender), "receiver alive");
                }
            });
        }
        drop(sender);
    });
}

fn throughput(c: &mut Criterion) {
    for (producers, consumers) in [(1, 1), (2, 2), (4, 4)] {
        for bound in [None, Some(1024), Some(1)] {
            let shape = Shape {
                producers,
                consumers,
                bound,
            };
            let mut group = c.benchmark_group(format!("queue/throughput/{}", shape.name()));
            group.throughput(Throughput::Elements(ITEMS));
            group.sample_size(10);
            group.measurement_time(Duration::from_secs(4));
            group.bench_function(BenchmarkId::new("ours", "Queue pop(&never)"), |b| {
                b.iter(|| ours(shape, Popping::Never))
            });
            group.bench_function(BenchmarkId::new("ours", "Queue iter(&please_stop)"), |b| {
                b.iter(|| ours(shape, Popping::PleaseStop))
            });
            group.bench_function(
                BenchmarkId::new("ours", "Queue add from tree threads"),
                |b| b.iter(|| ours_from_the_tree(shape)),
            );
            group.bench_function(BenchmarkId::new("peer", "crossbeam_channel"), |b| {
                b.iter(|| crossbeam(shape))
            });
            // std's bounded(1) channel runs at a few hundred thousand items
            // a second (crossbeam's at millions): a line of it would take
            // minutes and compare with nothing.
            if bound != Some(1) {
                group.bench_function(BenchmarkId::new("peer", "std_mpsc"), |b| {
                    b.iter(|| std_mpsc(shape))
                });
            }
            group.finish();
        }
    }
}

/// `rounds` round trips through our queues; returns the time taken.
fn ping_pong_ours(rounds: u64) -> Duration {
    let (ping, pong) = (Queue::<u64>::new("ping"), Queue::<u64>::new("pong"));
    let please_stop = Signal::named("please_stop");
    thread::scope(|scope| {
        scope.spawn(|| {
            while let Ok(n) = ping.pop_till(&please_stop) {
                if pong.add(n).is_err() {
                    break;
                }
            }
        });
        let started = Instant::now();
        for n in 0..rounds {
            ping.add(n).expect("open");
            black_box(pong.pop_till(&please_stop).expect("echoed"));
        }
        let elapsed = started.elapsed();
        ping.close();
        elapsed
    })
}

/// The same on two raw crossbeam channels.
fn ping_pong_crossbeam(rounds: u64) -> Duration {
    let (ping_sender, ping) = crossbeam_channel::unbounded::<u64>();
    let (pong_sender, pong) = crossbeam_channel::unbounded::<u64>();
    thread::scope(|scope| {
        scope.spawn(move || {
            while let Ok(n) = ping.recv() {
                if pong_sender.send(n).is_err() {
                    break;
                }
            }
        });
        let started = Instant::now();
        for n in 0..rounds {
            ping_sender.send(n).expect("open");
            black_box(pong.recv().expect("echoed"));
        }
        let elapsed = started.elapsed();
        drop(ping_sender);
        elapsed
    })
}

fn ping_pong(c: &mut Criterion) {
    let mut group = c.benchmark_group("queue/ping_pong");
    group.bench_function(BenchmarkId::new("ours", "Queue pop(&please_stop)"), |b| {
        b.iter_custom(ping_pong_ours)
    });
    group.bench_function(BenchmarkId::new("peer", "crossbeam_channel recv"), |b| {
        b.iter_custom(ping_pong_crossbeam)
    });
    group.finish();
}

/// The caller's time to add `items` through `add`, a consumer running.
fn timed_adds(items: u64, add: impl Fn(u64)) -> Duration {
    let started = Instant::now();
    for item in 0..items {
        add(black_box(item));
    }
    started.elapsed()
}

fn batch_add(c: &mut Criterion) {
    let mut group = c.benchmark_group("queue/batch_add");
    group.throughput(Throughput::Elements(1));
    group.bench_function(BenchmarkId::new("ours", "BatchQueue::add"), |b| {
        let queue = BatchQueue::new(
            "bench batches",
            1000,
            Duration::from_millis(10),
            |batch: &[u64]| {
                black_box(batch.len());
            },
        )
        .expect("forwarder starts");
        b.iter_custom(|items| timed_adds(items, |item| queue.add(item).expect("open")));
        queue.finish().expect("flushed");
    });
    group.bench_function(BenchmarkId::new("baseline", "Queue::add"), |b| {
        let queue = Queue::new("bench plain");
        let never = Signal::new();
        thread::scope(|scope| {
            scope.spawn(|| while queue.pop_till(&never).is_ok() {});
            b.iter_custom(|items| timed_adds(items, |item| queue.add(item).expect("open")));
            queue.close();
        });
    });
    group.finish();
}

// `criterion_group!` makes a `pub fn` without docs; a private module keeps
// it out of the `missing_docs` lint.
mod group {
    use super::*;
    criterion_group!(benches, throughput, ping_pong, batch_add);
}
criterion_main!(group::benches);
