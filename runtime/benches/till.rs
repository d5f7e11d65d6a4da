//! Till benchmarks: ours and the peer side by side, in one group each.
//!
//! * `till/after_create_drop`: `Till::after(d)` made and dropped at once,
//!   against `crossbeam_channel::after(d)`, for a far deadline (1 hour, the
//!   common "give up eventually" timeout) and a random one in 1 s..2 s.
//!   Target: at most 1.5×.
//!
//! The scale, precision and memory figures need a counting allocator and
//! whole-process measurements; they are in `till_scale.rs`.
//!
//! Run with `cargo bench -p more-threads --bench till`.

use criterion::{BenchmarkId, Criterion, black_box, criterion_group, criterion_main};
use more_threads::Till;
use std::time::Duration;

/// A xorshift64 generator: plenty for spreading deadlines, and no dependency.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn after_create_drop(c: &mut Criterion) {
    let mut group = c.benchmark_group("till/after_create_drop");
    let hour = Duration::from_secs(3600);
    group.bench_function(BenchmarkId::new("ours: Till::after", "1h"), |b| {
        b.iter(|| Till::after(black_box(hour)))
    });
    group.bench_function(
        BenchmarkId::new("peer: crossbeam_channel::after", "1h"),
        |b| b.iter(|| crossbeam_channel::after(black_box(hour))),
    );
    let mut random = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut one_to_two_seconds =
        move || Duration::from_nanos(1_000_000_000 + random.next() % 1_000_000_000);
    group.bench_function(BenchmarkId::new("ours: Till::after", "random 1-2s"), |b| {
        b.iter(|| Till::after(one_to_two_seconds()))
    });
    let mut random = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut one_to_two_seconds =
        move || Duration::from_nanos(1_000_000_000 + random.next() % 1_000_000_000);
    group.bench_function(
        BenchmarkId::new("peer: crossbeam_channel::after", "random 1-2s"),
        |b| b.iter(|| crossbeam_channel::after(one_to_two_seconds())),
    );
    group.finish();
}

// `criterion_group!` makes a `pub fn` without docs; a private module keeps
// it out of the `missing_docs` lint.
mod group {
    use super::*;
    criterion_group!(benches, after_create_drop);
}
criterion_main!(group::benches);
