//! Till benchmarks: ours and the peer side by side, in one group each.
//!
//! * `till/after_create_drop`: `Till::after(d)` made and dropped at once,
//!   against `crossbeam_channel::after(d)`, for a far deadline (1 hour, the
//!   common "give up eventually" timeout) and random ones, in 1 s..2 s and
//!   in 1 ms..10 s (issue 19: at most 1.3× with random deadlines), drawn
//!   by the same xorshift sequence on both sides.
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

/// Durations drawn uniformly from `low..high` nanoseconds, the same
/// sequence on every side (a fixed seed).
struct Deadlines {
    random: XorShift,
    low: u64,
    span: u64,
}

impl Deadlines {
    fn new(low: u64, high: u64) -> Deadlines {
        Deadlines {
            random: XorShift(0x9E37_79B9_7F4A_7C15),
            low,
            span: high - low,
        }
    }

    fn next(&mut self) -> Duration {
        Duration::from_nanos(self.low + self.random.next() % self.span)
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
    // Random deadlines: the same sequence for both sides, drawn inside the
    // timed loop (the draw alone is measured too, to subtract by eye).
    group.bench_function(BenchmarkId::new("ours: Till::after", "random 1-2s"), |b| {
        let mut deadlines = Deadlines::new(1_000_000_000, 2_000_000_000);
        b.iter(|| Till::after(deadlines.next()))
    });
    group.bench_function(
        BenchmarkId::new("peer: crossbeam_channel::after", "random 1-2s"),
        |b| {
            let mut deadlines = Deadlines::new(1_000_000_000, 2_000_000_000);
            b.iter(|| crossbeam_channel::after(deadlines.next()))
        },
    );
    group.bench_function(
        BenchmarkId::new("ours: Till::after", "random 1ms-10s"),
        |b| {
            let mut deadlines = Deadlines::new(1_000_000, 10_000_000_000);
            b.iter(|| Till::after(deadlines.next()))
        },
    );
    group.bench_function(
        BenchmarkId::new("peer: crossbeam_channel::after", "random 1ms-10s"),
        |b| {
            let mut deadlines = Deadlines::new(1_000_000, 10_000_000_000);
            b.iter(|| crossbeam_channel::after(deadlines.next()))
        },
    );
    group.bench_function(BenchmarkId::new("the draw alone", "random 1ms-10s"), |b| {
        let mut deadlines = Deadlines::new(1_000_000, 10_000_000_000);
        b.iter(|| deadlines.next())
    });
    group.finish();
}

// `criterion_group!` makes a `pub fn` without docs; a private module keeps
// it out of the `missing_docs` lint.
mod group {
    use super::*;
    criterion_group!(benches, after_create_drop);
}
criterion_main!(group::benches);
