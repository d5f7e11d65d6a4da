//! The thread tree against bare `std::thread`, side by side:
//!
//! * `thread/spawn_join`: `Thread::run(name, |_| ()).join()` vs
//!   `std::thread::Builder::new().name(..).spawn(..).join()`;
//! * `thread/stop_join_tree_1000`: stop and join a tree of 1,000 threads,
//!   three levels deep (10 → 90 → 900), blocked on please_stop, on
//!   `please_stop | Till`, and in a `Lock` wait, vs 1,000 std threads blocked
//!   on one `Condvar`, woken by `notify_all` and joined. Building the tree is
//!   not timed; stopping and joining it is.
//! * `thread/scope_4`: a scope that lends a slice to 4 children, each
//!   summing a quarter, and ends when all have finished: `scope!` vs
//!   `std::thread::scope` with named threads.

use criterion::{Criterion, criterion_group, criterion_main};
use more_threads::{Lock, Signal, Thread, ThreadError, Till};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

const FIRST: usize = 10;
const SECOND: usize = 9;
const LEAVES: usize = 10;
const TREE: usize = FIRST + FIRST * SECOND + FIRST * SECOND * LEAVES;
const STACK: usize = 64 * 1024;

fn spawn_join(c: &mut Criterion) {
    let mut group = c.benchmark_group("thread/spawn_join");
    group.bench_function("more_threads::Thread::run", |b| {
        b.iter(|| Thread::run("bench", |_| ()).unwrap().join().unwrap());
    });
    group.bench_function("std::thread::Builder", |b| {
        b.iter(|| {
            std::thread::Builder::new()
                .name("bench".into())
                .spawn(|| ())
                .unwrap()
                .join()
                .unwrap()
        });
    });
    group.finish();
}

fn scope_4(c: &mut Criterion) {
    let data: Vec<u64> = (0..4096).collect();
    let mut group = c.benchmark_group("thread/scope_4");
    group.bench_function("more_threads::scope!", |b| {
        b.iter(|| {
            let total = more_threads::scope! {
                let handles: Vec<_> = data
                    .chunks(1024)
                    .map(|chunk| spawn "bench" => move |_please_stop| chunk.iter().sum::<u64>())
                    .collect();
                handles.into_iter().map(|handle| handle.join().unwrap()).sum::<u64>()
            };
            assert_eq!(total, 4096 * 4095 / 2);
        });
    });
    group.bench_function("std::thread::scope", |b| {
        b.iter(|| {
            let total = std::thread::scope(|scope| {
                let handles: Vec<_> = data
                    .chunks(1024)
                    .map(|chunk| {
                        std::thread::Builder::new()
                            .name("bench".into())
                            .spawn_scoped(scope, move || chunk.iter().sum::<u64>())
                            .unwrap()
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|handle| handle.join().unwrap())
                    .sum::<u64>()
            });
            assert_eq!(total, 4096 * 4095 / 2);
        });
    });
    group.finish();
}

/// A leaf of the tree: blocks in one of the three ways, after saying so.
fn leaf(index: usize, lock: &Lock<()>, ready: &AtomicUsize, please_stop: &Signal) {
    ready.fetch_add(1, Ordering::SeqCst);
    match index % 3 {
        0 => please_stop.wait(),
        1 => {
            while !please_stop.is_go() {
                (please_stop | Till::seconds(3600.0)).wait();
            }
        }
        _ => {
            let mut guard = lock.lock();
            while !please_stop.is_go() {
                guard.wait_till(please_stop);
            }
        }
    }
}

/// Builds the tree under a thread of its own; returns it once every thread
/// is blocked.
fn build_tree() -> Thread<()> {
    let ready = Arc::new(AtomicUsize::new(0));
    let lock = Arc::new(Lock::named("bench", ()));
    let root = {
        let ready = ready.clone();
        Thread::builder("tree")
            .stack_size(STACK)
            .spawn(move |please_stop| {
                for first in 0..FIRST {
                    let (ready, lock) = (ready.clone(), lock.clone());
                    Thread::builder(format!("first-{first}"))
                        .stack_size(STACK)
                        .spawn(move |please_stop| {
                            for second in 0..SECOND {
                                let (ready, lock) = (ready.clone(), lock.clone());
                                Thread::builder(format!("second-{second}"))
                                    .stack_size(STACK)
                                    .spawn(move |please_stop| {
                                        for index in 0..LEAVES {
                                            let (ready, lock) = (ready.clone(), lock.clone());
                                            Thread::builder(format!("leaf-{index}"))
                                                .stack_size(STACK)
                                                .spawn(move |please_stop| {
                                                    leaf(index, &lock, &ready, please_stop)
                                                })?
                                                .release();
                                        }
                                        ready.fetch_add(1, Ordering::SeqCst);
                                        please_stop.wait();
                                        Ok::<_, ThreadError>(())
                                    })?
                                    .release();
                            }
                            ready.fetch_add(1, Ordering::SeqCst);
                            please_stop.wait();
                            Ok::<_, ThreadError>(())
                        })?
                        .release();
                }
                please_stop.wait();
                Ok::<_, ThreadError>(())
            })
            .unwrap()
    };
    while ready.load(Ordering::SeqCst) < TREE {
        std::thread::sleep(Duration::from_millis(1));
    }
    std::thread::sleep(Duration::from_millis(5)); // let the last ones block
    root
}

/// A stop flag and the Condvar its waiters sleep on.
type StopFlag = Arc<(Mutex<bool>, Condvar)>;

/// The peer: TREE std threads on one Condvar.
fn build_flat() -> (StopFlag, Vec<std::thread::JoinHandle<()>>) {
    let shared = Arc::new((Mutex::new(false), Condvar::new()));
    let ready = Arc::new(AtomicUsize::new(0));
    let threads = (0..TREE)
        .map(|index| {
            let (shared, ready) = (shared.clone(), ready.clone());
            std::thread::Builder::new()
                .name(format!("std-{index}"))
                .stack_size(STACK)
                .spawn(move || {
                    let (stop, woken) = &*shared;
                    let mut stopped = stop.lock().unwrap();
                    ready.fetch_add(1, Ordering::SeqCst);
                    while !*stopped {
                        stopped = woken.wait(stopped).unwrap();
                    }
                })
                .unwrap()
        })
        .collect();
    while ready.load(Ordering::SeqCst) < TREE {
        std::thread::sleep(Duration::from_millis(1));
    }
    std::thread::sleep(Duration::from_millis(5));
    (shared, threads)
}

fn stop_join_tree(c: &mut Criterion) {
    let mut group = c.benchmark_group("thread/stop_join_tree_1000");
    group.sample_size(10);
    group.bench_function("more_threads tree: stop() + join()", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                let tree = build_tree();
                let started = Instant::now();
                tree.stop();
                tree.join().unwrap();
                total += started.elapsed();
            }
            total
        });
    });
    group.bench_function("std threads: Condvar::notify_all + join", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                let (shared, threads) = build_flat();
                let started = Instant::now();
                *shared.0.lock().unwrap() = true;
                shared.1.notify_all();
                for thread in threads {
                    thread.join().unwrap();
                }
                total += started.elapsed();
            }
            total
        });
    });
    group.finish();
}

// `criterion_group!` makes a `pub fn` without docs; a private module keeps
// it out of the `missing_docs` lint.
mod group {
    use super::*;
    criterion_group!(benches, spawn_join, stop_join_tree, scope_4);
}
criterion_main!(group::benches);
