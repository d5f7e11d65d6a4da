//! Signal benchmarks: ours and the peer side by side, in one group each.
//!
//! * `signal/check`: the `!please_stop` test in a worker's loop (`!&signal`
//!   and `signal.is_go()`) against a bare `AtomicBool::load(Acquire)`, the
//!   cheapest possible stop flag: one check, and a loop of 1,000 turns that
//!   each test it. Target: at most 1.5×.
//! * `signal/ping_pong`: one round trip between two threads, each woken by
//!   the other's `go` on a fresh one-shot Signal, against the same round trip
//!   on a `parking_lot::Mutex` + `Condvar`. Target: at most 1.25×.
//! * `signal/combine`: building and dropping `please_stop | till`, the
//!   per-turn cost of the house idiom (no peer target; for the record).
//!
//! Run with `cargo bench -p more-threads --bench signal`.

use criterion::{BenchmarkId, Criterion, black_box, criterion_group, criterion_main};
use more_threads::{Signal, Till};
use parking_lot::{Condvar, Mutex};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// `!please_stop` against the cheapest stop flag there is.
fn check(c: &mut Criterion) {
    let mut group = c.benchmark_group("signal/check");
    let please_stop = Signal::named("please_stop");
    group.bench_function("ours: !&signal", |b| b.iter(|| !black_box(&please_stop)));
    group.bench_function("ours: signal.is_go()", |b| {
        b.iter(|| black_box(&please_stop).is_go())
    });
    // A stop flag is shared between threads, so in real code it sits behind
    // an `Arc` like ours; both the bare and the shared flag are shown.
    let flag = AtomicBool::new(false);
    group.bench_function("peer: AtomicBool::load(Acquire)", |b| {
        b.iter(|| black_box(&flag).load(Ordering::Acquire))
    });
    let shared = Arc::new(AtomicBool::new(false));
    group.bench_function("peer: Arc<AtomicBool>::load(Acquire)", |b| {
        b.iter(|| black_box(&shared).load(Ordering::Acquire))
    });
    // One check is at the resolution of criterion's loop; a worker's loop of
    // CHECKS turns, each testing the flag, is steadier.
    group.bench_function(format!("ours: {CHECKS} turns of while !&signal"), |b| {
        b.iter(|| {
            let please_stop = black_box(&please_stop);
            let mut turns = 0;
            while !please_stop && turns < CHECKS {
                turns += 1;
            }
            turns
        })
    });
    group.bench_function(
        format!("peer: {CHECKS} turns of while !flag.load(Acquire)"),
        |b| {
            b.iter(|| {
                let flag = black_box(&flag);
                let mut turns = 0;
                while !flag.load(Ordering::Acquire) && turns < CHECKS {
                    turns += 1;
                }
                turns
            })
        },
    );
    group.finish();
}

/// How many turns the loop versions of the check run per iteration.
const CHECKS: u32 = 1000;

/// A round trip: the main thread wakes the partner, the partner wakes it back.
fn ping_pong(c: &mut Criterion) {
    let mut group = c.benchmark_group("signal/ping_pong");
    group.bench_function("ours: Signal::go -> wait", |b| {
        b.iter_custom(|iters| {
            let rounds = iters as usize;
            // One-shot signals, made before the clock starts.
            let ping: Vec<Signal> = (0..rounds).map(|_| Signal::new()).collect();
            let pong: Vec<Signal> = (0..rounds).map(|_| Signal::new()).collect();
            let partner = {
                let (ping, pong) = (ping.clone(), pong.clone());
                thread::spawn(move || {
                    for (ping, pong) in ping.iter().zip(&pong) {
                        ping.wait();
                        pong.go();
                    }
                })
            };
            let start = Instant::now();
            for (ping, pong) in ping.iter().zip(&pong) {
                ping.go();
                pong.wait();
            }
            let elapsed = start.elapsed();
            partner.join().expect("the partner thread panicked");
            elapsed
        })
    });
    group.bench_function("peer: parking_lot Mutex+Condvar", |b| {
        b.iter_custom(|iters| {
            // The turn counter: odd is the partner's turn, even the main thread's.
            let shared = Arc::new((Mutex::new(0_u64), Condvar::new()));
            let partner = {
                let shared = shared.clone();
                thread::spawn(move || {
                    let (turn, woken) = &*shared;
                    for round in 0..iters {
                        let mut turn = turn.lock();
                        while *turn != 2 * round + 1 {
                            woken.wait(&mut turn);
                        }
                        *turn += 1;
                        woken.notify_one();
                    }
                })
            };
            let (turn, woken) = &*shared;
            let start = Instant::now();
            for round in 0..iters {
                let mut turn = turn.lock();
                *turn += 1;
                woken.notify_one();
                while *turn != 2 * round + 2 {
                    woken.wait(&mut turn);
                }
            }
            let elapsed = start.elapsed();
            partner.join().expect("the partner thread panicked");
            elapsed
        })
    });
    group.finish();
}

/// The per-turn overhead of `please_stop | till` when nothing goes.
fn combine(c: &mut Criterion) {
    let mut group = c.benchmark_group("signal/combine");
    let please_stop = Signal::named("please_stop");
    let other = Signal::new();
    group.bench_function(BenchmarkId::new("ours", "a | b, dropped"), |b| {
        b.iter(|| black_box(&please_stop | &other))
    });
    group.bench_function(
        BenchmarkId::new("ours", "please_stop | Till 1h, dropped"),
        |b| b.iter(|| black_box(&please_stop | Till::after(Duration::from_secs(3600)))),
    );
    group.finish();
}

// `criterion_group!` makes a `pub fn` without docs; a private module keeps
// it out of the `missing_docs` lint.
mod group {
    use super::*;
    criterion_group!(benches, check, ping_pong, combine);
}
criterion_main!(group::benches);
