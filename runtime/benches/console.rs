//! The console's sampler, one tick, on a tree of 1,000 threads (10 → 90 →
//! 900, blocked on please_stop; a tenth of the leaves in a Lock wait):
//!
//! * `console/sample_1000`: `console::Sampler::sample()`, the JSON line a
//!   client gets every 250 ms, vs the peer, `dump().to_string()`, the text
//!   dump it is made from; each unprofiled and profiled (the CPU column
//!   reads each thread's CPU clock, on Linux from /proc).
//!
//! Building the tree is not timed. What a client costs the program is one
//! such tick per interval, on the console's own thread.

use criterion::{Criterion, criterion_group, criterion_main};
use more_threads::{Lock, Signal, Thread, console::Sampler, dump, profile};
use std::sync::Arc;

const FIRST: usize = 10;
const SECOND: usize = 9;
const LEAVES: usize = 10;

/// The tree: every thread blocked, the leaves `n % 10 == 0` on a Lock
/// held by the first thread.
fn build() -> (Vec<Thread<()>>, Signal) {
    let work = Arc::new(Lock::named("work", ()));
    let held = Signal::new();
    let release = Signal::new();
    let holder = {
        let (work, held, release) = (work.clone(), held.clone(), release.clone());
        Thread::run("holder", move |_| {
            let _guard = work.lock();
            held.go();
            release.wait();
        })
        .unwrap()
    };
    held.wait();
    let mut roots = vec![holder];
    for first in 0..FIRST {
        let work = work.clone();
        roots.push(
            Thread::run(format!("first-{first}"), move |please_stop| {
                let mut seconds = Vec::new();
                for second in 0..SECOND {
                    let work = work.clone();
                    seconds.push(
                        Thread::run(format!("second-{second}"), move |please_stop| {
                            let mut leaves = Vec::new();
                            for leaf in 0..LEAVES {
                                let work = work.clone();
                                leaves.push(
                                    Thread::run(format!("leaf-{leaf}"), move |please_stop| {
                                        if leaf == 0 {
                                            drop(work.lock());
                                        } else {
                                            please_stop.wait();
                                        }
                                    })
                                    .unwrap(),
                                );
                            }
                            please_stop.wait();
                            for leaf in leaves {
                                leaf.join().unwrap();
                            }
                        })
                        .unwrap(),
                    );
                }
                please_stop.wait();
                for second in seconds {
                    second.join().unwrap();
                }
            })
            .unwrap(),
        );
    }
    while dump().threads().count() < 1 + 1 + FIRST + FIRST * SECOND + FIRST * SECOND * LEAVES {
        std::thread::yield_now();
    }
    (roots, release)
}

fn sample_1000(c: &mut Criterion) {
    for profiled in [false, true] {
        if profiled {
            profile::enable();
        }
        let (roots, release) = build();
        let mut group = c.benchmark_group(if profiled {
            "console/sample_1000_profiled"
        } else {
            "console/sample_1000"
        });
        group.sample_size(20);
        let mut sampler = Sampler::new();
        group.bench_function("console::Sampler::sample", |b| b.iter(|| sampler.sample()));
        group.bench_function("dump().to_string()", |b| b.iter(|| dump().to_string()));
        group.finish();
        release.go();
        for root in roots {
            root.stop();
            root.join().unwrap();
        }
    }
}

mod group {
    use super::*;
    criterion_group!(benches, sample_1000);
}
criterion_main!(group::benches);
