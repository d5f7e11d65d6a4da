//! Logging benchmarks: what one record costs the thread that logs it, ours
//! and the peers side by side in one group, each writing the same records
//! to a file of its own.
//!
//! * `log/per_record_on_caller`: one `info` record with two arguments,
//!   - ours: the central logger (formats on the caller, a bounded channel,
//!     written by its logger thread), and the same logger `synchronous`
//!     (written on the caller, for the record);
//!   - `env_logger` 0.11, which writes each record on the caller;
//!   - `tracing-appender`'s non-blocking writer under a `tracing-subscriber`
//!     fmt layer (ANSI off), which formats on the caller and writes on its
//!     own thread, as ours does.
//!
//!   Targets: at least 5× cheaper than env_logger, at most 1.3× of
//!   tracing-appender. Both non-blocking writers are given room for 128,000
//!   lines (tracing-appender's default) and drop when full (its default), so
//!   what is measured is the caller's side, not the disk.
//!
//! * `log/with_context`: what [`logging::with_context`] adds to a record on
//!   its way to the logger it wraps, that logger called directly beside it:
//!   - a record from a thread outside the tree that holds no context, which
//!     is handed on as it is (the pass-through);
//!   - for the record, a record from a thread of the tree with a context of
//!     two pairs (a new record with `thread`, `path` and the pairs);
//!
//!   each wrapping a logger that only counts (so the adapter's own cost is
//!   what is seen), and env_logger writing to `io::sink()`.
//!
//!   Target: the pass-through within a few nanoseconds of the bare call.
//!
//! Run with `cargo bench -p more-threads --bench log`. Each file is removed
//! at the end.

use criterion::{BenchmarkId, Criterion, black_box, criterion_group, criterion_main};
use log::Log;
use more_threads::RegisterThread;
use more_threads::logging::{self, Config, WhenFull};
use std::fs::File;
use std::path::PathBuf;

fn file(name: &str) -> (PathBuf, File) {
    let path = std::env::temp_dir().join(format!(
        "more-threads-bench-{name}-{}.log",
        std::process::id()
    ));
    let file = File::create(&path).expect("a temporary file");
    (path, file)
}

fn record_with<R>(n: u64, f: impl FnOnce(&log::Record<'_>) -> R) -> R {
    f(&log::Record::builder()
        .level(log::Level::Info)
        .target("bench")
        .args(format_args!(
            "record {} of {}",
            black_box(n),
            black_box("the batch")
        ))
        .build())
}

fn per_record_on_caller(c: &mut Criterion) {
    let mut group = c.benchmark_group("log/per_record_on_caller");
    let mut paths = Vec::new();

    let (path, _) = file("ours");
    paths.push(path.clone());
    let ours = Config::new()
        .filter("info")
        .to_file(&path)
        .capacity(128_000)
        .when_full(WhenFull::Drop)
        .build()
        .expect("our logger");
    let mut n = 0_u64;
    group.bench_function(
        BenchmarkId::new("ours: central logger", "info, 2 args"),
        |b| {
            b.iter(|| {
                n += 1;
                record_with(n, |record| ours.log(record));
            })
        },
    );
    ours.flush();
    println!(
        "ours: dropped {} records when the channel was full",
        ours.dropped()
    );

    let (path, _) = file("ours-sync");
    paths.push(path.clone());
    let synchronous = Config::new()
        .filter("info")
        .to_file(&path)
        .synchronous(true)
        .build()
        .expect("our logger");
    group.bench_function(
        BenchmarkId::new("ours: synchronous (for the record)", "info, 2 args"),
        |b| {
            b.iter(|| {
                n += 1;
                record_with(n, |record| synchronous.log(record));
            })
        },
    );

    let (path, env_file) = file("env_logger");
    paths.push(path);
    let env_logger = env_logger::Builder::new()
        .parse_filters("info")
        .target(env_logger::Target::Pipe(Box::new(env_file)))
        .build();
    group.bench_function(BenchmarkId::new("peer: env_logger", "info, 2 args"), |b| {
        b.iter(|| {
            n += 1;
            record_with(n, |record| env_logger.log(record));
        })
    });

    let (path, appender_file) = file("tracing-appender");
    paths.push(path);
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .buffered_lines_limit(128_000)
        .lossy(true)
        .finish(appender_file);
    let subscriber = tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .finish();
    tracing::subscriber::with_default(subscriber, || {
        group.bench_function(
            BenchmarkId::new("peer: tracing-appender non_blocking + fmt", "info, 2 args"),
            |b| {
                b.iter(|| {
                    n += 1;
                    tracing::info!(target: "bench", "record {} of {}", black_box(n), black_box("the batch"));
                })
            },
        );
    });
    drop(guard);
    group.finish();
    for path in paths {
        let _ = std::fs::remove_file(path);
    }
}

/// A logger that only counts what it is given: the wrapped logger whose
/// cost does not hide the adapter's.
#[derive(Default)]
struct Count(std::sync::atomic::AtomicU64);

impl Log for Count {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        black_box(record.key_values().count());
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    fn flush(&self) {}
}

fn with_context(c: &mut Criterion) {
    let mut group = c.benchmark_group("log/with_context");
    let mut n = 0_u64;
    let env_logger = || {
        env_logger::Builder::new()
            .parse_filters("info")
            .target(env_logger::Target::Pipe(Box::new(std::io::sink())))
            .build()
    };

    let bare = Count::default();
    group.bench_function(
        BenchmarkId::new(
            "peer: counting logger, bare",
            "outside the tree, no context",
        ),
        |b| {
            b.iter(|| {
                n += 1;
                record_with(n, |record| bare.log(record));
            })
        },
    );
    let wrapped = logging::with_context(Count::default());
    group.bench_function(
        BenchmarkId::new(
            "ours: counting logger, with_context",
            "outside the tree, no context",
        ),
        |b| {
            b.iter(|| {
                n += 1;
                record_with(n, |record| wrapped.log(record));
            })
        },
    );

    let bare = env_logger();
    group.bench_function(
        BenchmarkId::new("peer: env_logger, bare", "outside the tree, no context"),
        |b| {
            b.iter(|| {
                n += 1;
                record_with(n, |record| bare.log(record));
            })
        },
    );
    let wrapped = logging::with_context(env_logger());
    group.bench_function(
        BenchmarkId::new(
            "ours: env_logger, with_context",
            "outside the tree, no context",
        ),
        |b| {
            b.iter(|| {
                n += 1;
                record_with(n, |record| wrapped.log(record));
            })
        },
    );

    // The same, from a thread of the tree holding a context: what is added.
    let _registered = RegisterThread::new("bench");
    let _context = logging::context([("job", "42"), ("user", "ada")]);
    let wrapped = logging::with_context(Count::default());
    group.bench_function(
        BenchmarkId::new(
            "ours: counting logger, with_context",
            "in the tree, 2 pairs",
        ),
        |b| {
            b.iter(|| {
                n += 1;
                record_with(n, |record| wrapped.log(record));
            })
        },
    );
    let wrapped = logging::with_context(env_logger());
    group.bench_function(
        BenchmarkId::new("ours: env_logger, with_context", "in the tree, 2 pairs"),
        |b| {
            b.iter(|| {
                n += 1;
                record_with(n, |record| wrapped.log(record));
            })
        },
    );
    group.finish();
}

// `criterion_group!` makes a `pub fn` without docs; a private module keeps
// it out of the `missing_docs` lint.
mod group {
    use super::*;
    criterion_group!(benches, per_record_on_caller, with_context);
}
criterion_main!(group::benches);
