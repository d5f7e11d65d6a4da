//! Lock benchmarks: ours and the peer side by side, in one group each.
//!
//! * `lock/uncontended`: lock, change the value, unlock, on one thread,
//!   against `parking_lot::Mutex`. Target: at most 1.3×.
//! * `lock/ping_pong`: two threads taking turns through a flag inside the
//!   lock, each sleeping in `guard.wait(&never)` until the other's guard drop
//!   wakes it, against the same on `parking_lot::Mutex` + `Condvar`. One
//!   iteration is a full round trip (two hand-overs). Target: at most 1.25×.
//!
//! Run with `cargo bench -p more-threads --bench lock`.

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use more_threads::{Lock, Signal};
use parking_lot::{Condvar, Mutex};
use std::sync::Arc;
use std::thread;
use std::time::Instant;

fn uncontended(c: &mut Criterion) {
    let mut group = c.benchmark_group("lock/uncontended");
    let ours = Lock::new(0_u64);
    group.bench_function("ours: Lock", |b| {
        b.iter(|| *black_box(&ours).lock() += 1)
    });
    let peer = Mutex::new(0_u64);
    group.bench_function("peer: parking_lot::Mutex", |b| {
        b.iter(|| *black_box(&peer).lock() += 1)
    });
    let std_mutex = std::sync::Mutex::new(0_u64);
    group.bench_function("peer: std::sync::Mutex", |b| {
        b.iter(|| *black_box(&std_mutex).lock().expect("never poisoned") += 1)
    });
    group.finish();
}

fn ping_pong(c: &mut Criterion) {
    let mut group = c.benchmark_group("lock/ping_pong");
    group.bench_function("ours: Lock guard.wait / drop", |b| {
        b.iter_custom(|iters| {
            // The turn counter: odd is the partner's turn, even the main thread's.
            let turn = Arc::new(Lock::named("turn", 0_u64));
            let never = Signal::named("never");
            let partner = {
                let (turn, never) = (turn.clone(), never.clone());
                thread::spawn(move || {
                    for round in 0..iters {
                        let mut guard = turn.lock();
                        while *guard != 2 * round + 1 {
                            guard.wait(&never);
                        }
                        *guard += 1;
                        // Dropping the guard wakes the main thread.
                    }
                })
            };
            let start = Instant::now();
            for round in 0..iters {
                // Our turn is over: dropping the guard wakes the partner.
                *turn.lock() += 1;
                let mut guard = turn.lock();
                while *guard != 2 * round + 2 {
                    guard.wait(&never);
                }
            }
            let elapsed = start.elapsed();
            partner.join().expect("the partner thread panicked");
            elapsed
        })
    });
    group.bench_function("peer: parking_lot Mutex+Condvar", |b| {
        b.iter_custom(|iters| {
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

criterion_group!(benches, uncontended, ping_pong);
criterion_main!(benches);
