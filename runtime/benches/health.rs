//! `health()` against its peer, `dump()`, on a tree of 1,000 threads
//! (10 → 90 → 900, as `thread/stop_join_tree_1000`), every one blocked on
//! please_stop, one in ten with a stuck budget (so its wait's start is
//! read): what a liveness probe or the systemd watchdog pays each second.
//! Both walk the tree and the wait-for graph; `dump()` also writes each
//! thread's state and age, which `health()` writes only for a thread that
//! is wrong. Building the tree is not timed.

use criterion::{Criterion, criterion_group, criterion_main};
use more_threads::{Thread, dump, health};
use std::time::Duration;

const FIRST: usize = 10;
const SECOND: usize = 9;
const LEAVES: usize = 10;
const STACK: usize = 64 * 1024;

/// A thread blocked on please_stop, with a budget an hour long if `n` is a
/// multiple of ten, after starting `children` of its own as `make` says.
fn blocked(name: String, n: usize, children: impl FnOnce() + Send + 'static) -> Thread<()> {
    Thread::builder(name)
        .stack_size(STACK)
        .spawn(move |please_stop| {
            let _budget = (n % 10 == 0).then(|| health::budget(Duration::from_secs(3600)));
            children();
            please_stop.wait();
        })
        .unwrap()
}

fn tree() -> Vec<Thread<()>> {
    (0..FIRST)
        .map(|a| {
            blocked(format!("a{a}"), a, move || {
                for b in 0..SECOND {
                    blocked(format!("b{b}"), b, move || {
                        for c in 0..LEAVES {
                            blocked(format!("c{c}"), c, || {}).release();
                        }
                    })
                    .release();
                }
            })
        })
        .collect()
}

fn health_vs_dump(c: &mut Criterion) {
    let roots = tree();
    while dump().threads().count() < 1 + FIRST + FIRST * SECOND + FIRST * SECOND * LEAVES {
        std::thread::yield_now();
    }
    assert!(health().is_good(), "{}", health());
    let mut group = c.benchmark_group("health/tree_1000");
    group.bench_function("more_threads::health()", |b| b.iter(health));
    group.bench_function("more_threads::dump()", |b| b.iter(dump));
    group.bench_function("more_threads::dump().to_string()", |b| {
        b.iter(|| dump().to_string())
    });
    group.finish();
    for root in &roots {
        root.stop();
    }
    for root in roots {
        root.join().unwrap();
    }
}

// `criterion_group!` makes a `pub fn` without docs; a private module keeps
// it out of the `missing_docs` lint.
mod group {
    use super::*;
    criterion_group!(benches, health_vs_dump);
}
criterion_main!(group::benches);
