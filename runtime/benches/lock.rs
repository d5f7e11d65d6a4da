//! Lock benchmarks: ours and the peer side by side, in one group each.
//!
//! * `lock/uncontended`: lock, change the value, unlock, on one thread,
//!   against `parking_lot::Mutex`. Target: at most 1.3×.
//! * `lock/ping_pong`: two threads taking turns through a flag inside the
//!   lock, each sleeping in `guard.wait_till(&never)` until the other's guard drop
//!   wakes it, against the same on `parking_lot::Mutex` + `Condvar`. One
//!   iteration is a full round trip (two hand-overs). Target: at most 1.25×.
//!   A third line shows the "pass the turn, then wait" spelling, which costs
//!   a Lock an extra wake-up per turn (no target; for the record).
//! * `lock/order`: what the `lock-order` feature's checker costs. A named
//!   Lock locked and unlocked alone (a push and a pop on the thread's held
//!   stack), and two named Locks nested, outer then inner (the same, plus a
//!   look-up of the pair among those the thread has seen), each against the
//!   same on `parking_lot::Mutex`. The lines of ours say whether the feature
//!   was on: run the bench with and without it. No target; for the record.
//!
//! * `lock/contended`: two threads each taking the lock 10,000 times with
//!   a short critical section, so that many acquisitions spin and some go
//!   to sleep: the slow path, where the deadlock check runs (before every
//!   sleep: the graph's lock, a walk, and the retraction after), against
//!   the same on `parking_lot::Mutex`. One iteration is the 20,000
//!   acquisitions. Target for the check's share: at most 100 ns per
//!   blocking wait.
//!
//! Run with `cargo bench -p more-threads --bench lock`, and with
//! `--features lock-order` for the checker's cost.

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use more_threads::{Lock, Signal};
use parking_lot::{Condvar, Mutex};
use std::sync::Arc;
use std::thread;
use std::time::Instant;

fn uncontended(c: &mut Criterion) {
    let mut group = c.benchmark_group("lock/uncontended");
    let ours = Lock::new(0_u64);
    group.bench_function("ours: Lock", |b| b.iter(|| *black_box(&ours).lock() += 1));
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

/// Two threads taking one lock 10,000 times each, ours and the peer's.
fn contended(c: &mut Criterion) {
    const TURNS: u64 = 10_000;
    let mut group = c.benchmark_group("lock/contended");
    group.sample_size(20);
    group.bench_function("ours: Lock", |b| {
        b.iter(|| {
            let lock = Lock::named("contended", 0_u64);
            thread::scope(|s| {
                for _ in 0..2 {
                    s.spawn(|| {
                        for _ in 0..TURNS {
                            *black_box(&lock).lock() += 1;
                        }
                    });
                }
            });
            assert_eq!(lock.into_inner(), 2 * TURNS);
        })
    });
    group.bench_function("peer: parking_lot::Mutex", |b| {
        b.iter(|| {
            let lock = Mutex::new(0_u64);
            thread::scope(|s| {
                for _ in 0..2 {
                    s.spawn(|| {
                        for _ in 0..TURNS {
                            *black_box(&lock).lock() += 1;
                        }
                    });
                }
            });
            assert_eq!(lock.into_inner(), 2 * TURNS);
        })
    });
    group.finish();
}

/// The lock-order checker's cost: ours (the feature on or off, as built)
/// against `parking_lot::Mutex`, alone and nested.
fn order(c: &mut Criterion) {
    let checker = if cfg!(feature = "lock-order") {
        "lock-order on"
    } else {
        "lock-order off"
    };
    let mut group = c.benchmark_group("lock/order");
    let named = Lock::named("bench-alone", 0_u64);
    group.bench_function(format!("ours: named Lock ({checker})"), |b| {
        b.iter(|| *black_box(&named).lock() += 1)
    });
    let peer = Mutex::new(0_u64);
    group.bench_function("peer: parking_lot::Mutex", |b| {
        b.iter(|| *black_box(&peer).lock() += 1)
    });
    let (outer, inner) = (
        Lock::named("bench-outer", 0_u64),
        Lock::named("bench-inner", 0_u64),
    );
    group.bench_function(format!("ours: nested, outer then inner ({checker})"), |b| {
        b.iter(|| {
            let mut outer = black_box(&outer).lock();
            *outer += 1;
            *black_box(&inner).lock() += *outer;
        })
    });
    let (peer_outer, peer_inner) = (Mutex::new(0_u64), Mutex::new(0_u64));
    group.bench_function("peer: nested parking_lot::Mutex", |b| {
        b.iter(|| {
            let mut outer = black_box(&peer_outer).lock();
            *outer += 1;
            *black_box(&peer_inner).lock() += *outer;
        })
    });
    group.finish();
}

/// One thread's part in the ping-pong on our Lock: `rounds` times, wait for
/// the turn `first + 2 * round`, pass it on, and unlock (which wakes the other).
fn take_turns_ours(turn: &Lock<u64>, never: &Signal, first: u64, rounds: u64) {
    for round in 0..rounds {
        let mut guard = turn.lock();
        while *guard != first + 2 * round {
            guard.wait_till(never);
        }
        *guard += 1;
        // Dropping the guard wakes the other thread.
    }
}

/// The same on `parking_lot`: the notification is explicit.
fn take_turns_peer(shared: &(Mutex<u64>, Condvar), first: u64, rounds: u64) {
    let (turn, woken) = shared;
    for round in 0..rounds {
        let mut guard = turn.lock();
        while *guard != first + 2 * round {
            woken.wait(&mut guard);
        }
        *guard += 1;
        woken.notify_one();
    }
}

/// Two threads take turns; the turn counter is even for the main thread and
/// odd for its partner. Both sides run the very same steps.
fn ping_pong(c: &mut Criterion) {
    let mut group = c.benchmark_group("lock/ping_pong");
    group.bench_function("ours: Lock guard.wait_till / drop", |b| {
        b.iter_custom(|iters| {
            let turn = Arc::new(Lock::named("turn", 1_u64));
            let never = Signal::named("never");
            let partner = {
                let (turn, never) = (turn.clone(), never.clone());
                thread::spawn(move || take_turns_ours(&turn, &never, 1, iters + 1))
            };
            // The partner takes turn 1 before the clock starts; it then has
            // one more turn per measured round, each a hand-over both ways.
            while *turn.lock() != 2 {
                thread::yield_now();
            }
            let start = Instant::now();
            take_turns_ours(&turn, &never, 2, iters);
            let mut guard = turn.lock();
            while *guard != 2 * iters + 2 {
                guard.wait_till(&never);
            }
            let elapsed = start.elapsed();
            drop(guard);
            partner.join().expect("the partner thread panicked");
            elapsed
        })
    });
    // For the record: "pass the turn, then wait for mine" as one would write
    // it with a Condvar (notify, then wait under the same lock). A Lock only
    // notifies on drop, so it takes an unlock and a re-lock, and the drop that
    // ends each wait wakes the other thread once more for nothing.
    group.bench_function("ours: pass-then-wait (extra wake-up)", |b| {
        b.iter_custom(|iters| {
            let turn = Arc::new(Lock::named("turn", 0_u64));
            let never = Signal::named("never");
            let partner = {
                let (turn, never) = (turn.clone(), never.clone());
                thread::spawn(move || take_turns_ours(&turn, &never, 1, iters))
            };
            let start = Instant::now();
            for round in 0..iters {
                *turn.lock() += 1;
                let mut guard = turn.lock();
                while *guard != 2 * round + 2 {
                    guard.wait_till(&never);
                }
            }
            let elapsed = start.elapsed();
            partner.join().expect("the partner thread panicked");
            elapsed
        })
    });
    group.bench_function("peer: parking_lot Mutex+Condvar", |b| {
        b.iter_custom(|iters| {
            let shared = Arc::new((Mutex::new(1_u64), Condvar::new()));
            let partner = {
                let shared = shared.clone();
                thread::spawn(move || take_turns_peer(&shared, 1, iters + 1))
            };
            while *shared.0.lock() != 2 {
                thread::yield_now();
            }
            let start = Instant::now();
            take_turns_peer(&shared, 2, iters);
            let mut guard = shared.0.lock();
            while *guard != 2 * iters + 2 {
                shared.1.wait(&mut guard);
            }
            let elapsed = start.elapsed();
            drop(guard);
            partner.join().expect("the partner thread panicked");
            elapsed
        })
    });
    group.finish();
}

// `criterion_group!` makes a `pub fn` without docs; a private module keeps
// it out of the `missing_docs` lint.
mod group {
    use super::*;
    criterion_group!(benches, uncontended, ping_pong, order, contended);
}
criterion_main!(group::benches);
