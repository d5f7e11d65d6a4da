//! Till at scale: memory per pending Till, insert cost as the schedule grows,
//! how late Tills go, and whether the `please_stop | Till` loop stays flat.
//!
//! These are whole-process measurements (a counting global allocator,
//! `VmRSS`, a timer thread shared by every Till), so they are not criterion
//! benchmarks: each section runs in a fresh child process of its own, and
//! prints ours and the peer side by side.
//!
//! * `memory`: bytes per pending Till with 1,000,000 pending (target: at most
//!   150), against `crossbeam_channel::after`; and what stays allocated once
//!   they are all dropped.
//! * `insert`: the cost of making a Till with 1,000 and with 1,000,000
//!   pending (target: O(log n), so the 1M figure stays within a small factor
//!   of the 1k one), against `crossbeam_channel::after`.
//! * `precision`: 1,000 Tills at random 1–50 ms; lateness p50/p99/max seen by
//!   `then` callbacks and by waiting threads (target: p99 at most 2 ms),
//!   against threads waiting on `crossbeam_channel::at`. For the threads,
//!   also the wake latency, which leaves out the time a thread that fell
//!   behind spent before it began to wait.
//! * `loop`: `(&please_stop | Till::seconds(0.0001)).wait()` 1,000,000 times:
//!   resident memory grows by less than 1 MB and `please_stop` never holds
//!   more than one callback; against the same loop over `crossbeam_channel`'s
//!   `select!` on a stop channel and `after(100µs)`.
//!
//! ```text
//! cargo bench -p more-threads --bench till_scale                  # every section
//! cargo bench -p more-threads --bench till_scale -- precision     # one section
//! MORE_THREADS_LOOP_ITERS=100000 cargo bench -p more-threads --bench till_scale -- loop
//! ```
//!
//! Without `--bench` (as `cargo test --benches` runs it) every section runs at
//! a small size, as a smoke test.

use crossbeam_channel::{Receiver, select};
use more_threads::{Signal, Till};
use std::alloc::{GlobalAlloc, Layout, System};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// Counts the bytes the process holds on the heap, on top of the system allocator.
struct Counting;

/// Bytes currently allocated through [`Counting`].
static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);

#[global_allocator]
static ALLOCATOR: Counting = Counting;

// SAFETY: every method forwards to `System` with the caller's arguments
// unchanged, so `System`'s guarantees are ours; the counter only observes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `alloc`'s contract, passed on as is.
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            LIVE_BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        }
        pointer
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `alloc_zeroed`'s contract, passed on as is.
        let pointer = unsafe { System.alloc_zeroed(layout) };
        if !pointer.is_null() {
            LIVE_BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: `pointer` came from `System` with this `layout` (we forward
        // every allocation), as the caller guarantees it came from us.
        unsafe { System.dealloc(pointer, layout) };
        LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `dealloc`; the caller upholds `realloc`'s contract.
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            LIVE_BYTES.fetch_add(new_size, Ordering::Relaxed);
            LIVE_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        moved
    }
}

fn live_bytes() -> usize {
    LIVE_BYTES.load(Ordering::Relaxed)
}

/// The process's resident set size, in bytes, from `/proc/self/status`.
fn resident_bytes() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<usize>()
                .ok()
        })
        .map_or(0, |kilobytes| kilobytes * 1024)
}

/// A xorshift64 generator: plenty for spreading deadlines, and no dependency.
struct XorShift(u64);

impl XorShift {
    fn new(seed: u64) -> XorShift {
        XorShift(seed | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A duration uniformly in `low..high`, to the nanosecond.
    fn between(&mut self, low: Duration, high: Duration) -> Duration {
        let span = (high - low).as_nanos() as u64;
        low + Duration::from_nanos(self.next() % span)
    }
}

/// How big each section runs: full size under `cargo bench`, small otherwise.
#[derive(Clone, Copy)]
struct Scale {
    full: bool,
}

impl Scale {
    fn pick(self, full: usize, smoke: usize) -> usize {
        if self.full { full } else { smoke }
    }
}

const SECTIONS: [&str; 4] = ["memory", "insert", "precision", "loop"];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let scale = Scale {
        full: args.iter().any(|arg| arg == "--bench"),
    };
    let chosen: Vec<&str> = SECTIONS
        .into_iter()
        .filter(|section| args.iter().any(|arg| arg == section))
        .collect();
    if let ([section], Ok(_)) = (&chosen[..], std::env::var("MORE_THREADS_SECTION_CHILD")) {
        run_section(section, scale);
        return;
    }
    // One fresh process per section: the timer's schedule, the allocator's
    // counters and the resident set start clean for each.
    let chosen = if chosen.is_empty() {
        SECTIONS.to_vec()
    } else {
        chosen
    };
    let me = std::env::current_exe().expect("the benchmark knows its own path");
    println!(
        "till_scale: {} run, {} CPUs",
        if scale.full { "full" } else { "smoke" },
        thread::available_parallelism().map_or(0, |n| n.get())
    );
    for section in chosen {
        let mut child = Command::new(&me);
        child.arg(section).env("MORE_THREADS_SECTION_CHILD", "1");
        if scale.full {
            child.arg("--bench");
        }
        let status = child
            .status()
            .expect("could not start the section's process");
        assert!(status.success(), "section {section} failed: {status}");
    }
}

fn run_section(section: &str, scale: Scale) {
    match section {
        "memory" => memory(scale),
        "insert" => insert(scale),
        "precision" => precision(scale),
        "loop" => flat_loop(scale),
        _ => unreachable!("only known sections are chosen"),
    }
}

/// Bytes per pending Till, and what a dropped Till leaves behind.
fn memory(scale: Scale) {
    let count = scale.pick(1_000_000, 10_000);
    println!("\n## memory: {count} pending timers, deadlines random in 1h..2h");
    // Start the timer thread and its schedule before the baseline.
    more_threads::__private::arm(&Till::after(Duration::from_secs(7200)));
    let mut random = XorShift::new(0x2545_F491_4F6C_DD1D);
    let (hour, two_hours) = (Duration::from_secs(3600), Duration::from_secs(7200));

    // Made and not waited on: not on the timer at all.
    let mut unarmed: Vec<Signal> = Vec::with_capacity(count);
    let bytes_before = live_bytes();
    for _ in 0..count {
        unarmed.push(Till::after(random.between(hour, two_hours)));
    }
    println!(
        "ours: Till::after, not waited on  {:>7.1} bytes/timer on the heap",
        (live_bytes() - bytes_before) as f64 / count as f64
    );
    drop(unarmed);
    // Waited on (armed): on the timer, as a pending Till is.
    let mut tills: Vec<Signal> = Vec::with_capacity(count);
    let (bytes_before, resident_before) = (live_bytes(), resident_bytes());
    for _ in 0..count {
        let till = Till::after(random.between(hour, two_hours));
        more_threads::__private::arm(&till);
        tills.push(till);
    }
    let ours = live_bytes() - bytes_before;
    let ours_resident = resident_bytes().saturating_sub(resident_before);
    println!(
        "ours: Till::after, on the timer   {:>7.1} bytes/timer on the heap ({:.1} resident)",
        ours as f64 / count as f64,
        ours_resident as f64 / count as f64
    );
    drop(tills);
    let left = live_bytes().saturating_sub(bytes_before);
    println!(
        "ours: after dropping them all     {:>7.1} bytes/timer still allocated ({:.1} MB), until a sweep or their deadlines",
        left as f64 / count as f64,
        left as f64 / 1e6
    );
    for _ in 0..1000 {
        let till = Till::after(random.between(hour, two_hours));
        more_threads::__private::arm(&till);
        drop(till);
    }
    let left = live_bytes().saturating_sub(bytes_before);
    println!(
        "ours: ...and after 1,000 more     {:>7.1} bytes/timer still allocated ({:.1} MB)",
        left as f64 / count as f64,
        left as f64 / 1e6
    );

    let mut peers: Vec<Receiver<Instant>> = Vec::with_capacity(count);
    let bytes_before = live_bytes();
    for _ in 0..count {
        peers.push(crossbeam_channel::after(random.between(hour, two_hours)));
    }
    let peer = live_bytes() - bytes_before;
    println!(
        "peer: crossbeam_channel::after    {:>7.1} bytes/timer on the heap",
        peer as f64 / count as f64
    );
    drop(peers);
    println!(
        "target: ours <= 150 bytes/timer: {}",
        if ours as f64 / count as f64 <= 150.0 {
            "met"
        } else {
            "missed"
        }
    );
}

/// Nanoseconds per timer made while `pending` others are held: the median
/// and the mean over rounds of `batch` timers each (the batch is dropped
/// after each round, so dead entries and their sweeps are part of the cost).
fn insert_cost(
    pending: usize,
    rounds: usize,
    batch: usize,
    mut make: impl FnMut(usize) -> Box<dyn std::any::Any>,
) -> (f64, f64) {
    let held: Vec<_> = (0..pending).map(&mut make).collect();
    let mut per_round = Vec::with_capacity(rounds);
    let mut kept = Vec::with_capacity(batch);
    for round in 0..rounds {
        let start = Instant::now();
        for index in 0..batch {
            kept.push(make(pending + round * batch + index));
        }
        per_round.push(start.elapsed().as_nanos() as f64 / batch as f64);
        kept.clear();
    }
    drop(held);
    let mean = per_round.iter().sum::<f64>() / rounds as f64;
    per_round.sort_by(f64::total_cmp);
    (per_round[rounds / 2], mean)
}

/// The cost of one more timer with 1k and with 1M pending.
fn insert(scale: Scale) {
    let big = scale.pick(1_000_000, 20_000);
    let (rounds, batch) = (scale.pick(300, 20), 1000);
    println!(
        "\n## insert: ns per timer made, with 1,000 and {big} pending (median / mean of {rounds} rounds of {batch})"
    );
    let (hour, two_hours) = (Duration::from_secs(3600), Duration::from_secs(7200));
    println!("| timer | pending 1k | pending {big} | ratio |");
    println!("|---|---|---|---|");
    let report = |name: &str, small: (f64, f64), large: (f64, f64)| {
        println!(
            "| {name} | {:.0} / {:.0} | {:.0} / {:.0} | {:.2}x |",
            small.0,
            small.1,
            large.0,
            large.1,
            large.0 / small.0
        );
    };
    // Random deadlines: the typical case (a push sifts up a few levels).
    let random_ours = |seed| {
        let mut random = XorShift::new(seed);
        move |_| {
            let till = Till::after(random.between(hour, two_hours));
            more_threads::__private::arm(&till); // on the timer, as a waited-on Till
            Box::new(till) as Box<dyn std::any::Any>
        }
    };
    let small = insert_cost(1000, rounds, batch, random_ours(1));
    let large = insert_cost(big, rounds, batch, random_ours(2));
    report("ours: Till::after, random 1h..2h", small, large);
    // Every new deadline earlier than all pending ones: the push sifts all
    // the way up, and the timer thread is woken to shorten its sleep.
    let earliest_ours = |pending: usize| {
        let base = Instant::now() + two_hours;
        move |index: usize| {
            let at = if index < pending {
                base + Duration::from_micros(index as u64)
            } else {
                base - Duration::from_micros(index as u64)
            };
            let till = Till::at(at);
            more_threads::__private::arm(&till);
            Box::new(till) as Box<dyn std::any::Any>
        }
    };
    let small = insert_cost(1000, rounds, batch, earliest_ours(1000));
    let large = insert_cost(big, rounds, batch, earliest_ours(big));
    report("ours: Till::at, each the earliest", small, large);
    let random_peer = |seed| {
        let mut random = XorShift::new(seed);
        move |_| {
            Box::new(crossbeam_channel::after(random.between(hour, two_hours)))
                as Box<dyn std::any::Any>
        }
    };
    let small = insert_cost(1000, rounds, batch, random_peer(1));
    let large = insert_cost(big, rounds, batch, random_peer(2));
    report("peer: crossbeam_channel::after, random", small, large);
}

/// Percentile `p` (0..=100) of sorted nanoseconds, in milliseconds.
fn percentile(sorted: &[u64], p: f64) -> f64 {
    let index = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[index] as f64 / 1e6
}

fn report_lateness(name: &str, mut late: Vec<u64>) {
    late.sort_unstable();
    let p99 = percentile(&late, 99.0);
    println!(
        "| {name} | {} | {:.3} | {:.3} | {:.3} | {} |",
        late.len(),
        percentile(&late, 50.0),
        p99,
        percentile(&late, 100.0),
        if p99 <= 2.0 { "met" } else { "missed" }
    );
}

/// The deadlines of one round: `count` instants at random 1–50 ms from now.
fn deadlines(random: &mut XorShift, count: usize) -> Vec<Instant> {
    let now = Instant::now() + Duration::from_millis(1);
    (0..count)
        .map(|_| now + random.between(Duration::ZERO, Duration::from_millis(49)))
        .collect()
}

/// When `threads` threads share the timers round-robin in deadline order, and
/// each waits for its own in turn: for each timer, its lateness (wake-up time
/// less deadline) and its wake latency (wake-up time less the later of the
/// deadline and the start of the wait). They differ when a thread falls behind
/// and starts waiting after the deadline: lateness then includes the queueing,
/// wake latency does not.
fn waited_lateness<T: Sync>(
    mut timers: Vec<(Instant, T)>,
    threads: usize,
    wait: impl Fn(&T) + Sync,
) -> (Vec<u64>, Vec<u64>) {
    timers.sort_by_key(|(at, _)| *at);
    thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|first| {
                let (timers, wait) = (&timers, &wait);
                scope.spawn(move || {
                    timers
                        .iter()
                        .skip(first)
                        .step_by(threads)
                        .map(|(at, timer)| {
                            let started = Instant::now();
                            wait(timer);
                            let woke = Instant::now();
                            (
                                woke.saturating_duration_since(*at).as_nanos() as u64,
                                woke.saturating_duration_since(started.max(*at)).as_nanos() as u64,
                            )
                        })
                        .collect::<Vec<(u64, u64)>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().expect("a waiting thread panicked"))
            .unzip()
    })
}

/// How late Tills go, seen by callbacks and by waiting threads.
fn precision(scale: Scale) {
    let (count, rounds, threads) = (scale.pick(1000, 100), scale.pick(10, 2), 4);
    println!("\n## precision: {rounds} rounds of {count} timers at random 1-50 ms; lateness in ms");
    println!("| how | samples | p50 | p99 | max | p99 <= 2 ms |");
    println!("|---|---|---|---|---|---|");
    let mut random = XorShift::new(0xDEAD_BEEF_CAFE_F00D);

    // `then` callbacks: they run on the timer thread as each Till goes.
    let mut late = Vec::new();
    for _ in 0..rounds {
        let deadlines = deadlines(&mut random, count);
        let base = Instant::now();
        let seen: Arc<Vec<AtomicU64>> = Arc::new((0..count).map(|_| AtomicU64::new(0)).collect());
        let tills: Vec<Signal> = deadlines
            .iter()
            .enumerate()
            .map(|(index, &at)| {
                let till = Till::at(at);
                let seen = seen.clone();
                till.then(move || {
                    seen[index].store(base.elapsed().as_nanos() as u64, Ordering::Release);
                });
                till
            })
            .collect();
        for till in &tills {
            till.wait();
        }
        // `go` wakes waiters before it runs callbacks: wait for the last ones.
        let give_up = Instant::now() + Duration::from_secs(1);
        while seen.iter().any(|at| at.load(Ordering::Acquire) == 0) && Instant::now() < give_up {
            thread::yield_now();
        }
        late.extend(deadlines.iter().zip(seen.iter()).map(|(at, seen)| {
            let deadline = at.duration_since(base).as_nanos() as u64;
            seen.load(Ordering::Acquire).saturating_sub(deadline)
        }));
    }
    report_lateness("ours: then() callback", late);

    let (mut late, mut latency) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let deadlines = deadlines(&mut random, count);
        let tills = deadlines.iter().map(|&at| (at, Till::at(at))).collect();
        let (round_late, round_latency) = waited_lateness(tills, threads, Signal::wait);
        late.extend(round_late);
        latency.extend(round_latency);
    }
    report_lateness(&format!("ours: {threads} threads, Signal::wait"), late);
    let ours_latency = latency;

    let (mut late, mut latency) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let deadlines = deadlines(&mut random, count);
        let timers = deadlines
            .iter()
            .map(|&at| (at, crossbeam_channel::at(at)))
            .collect();
        let (round_late, round_latency) =
            waited_lateness(timers, threads, |timer: &Receiver<Instant>| {
                let _ = timer.recv();
            });
        late.extend(round_late);
        latency.extend(round_latency);
    }
    report_lateness(
        &format!("peer: {threads} threads, crossbeam_channel::at"),
        late,
    );
    report_lateness(
        &format!("ours: {threads} threads, Signal::wait, wake latency"),
        ours_latency,
    );
    report_lateness(
        &format!("peer: {threads} threads, crossbeam_channel::at, wake latency"),
        latency,
    );
}

/// `(please_stop | Till).wait()` in a long loop: flat memory, one callback at most.
fn flat_loop(scale: Scale) {
    let iterations = std::env::var("MORE_THREADS_LOOP_ITERS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(scale.pick(1_000_000, 2_000));
    let warm_up = (iterations / 100).max(100);
    println!(
        "\n## loop: {iterations} turns of a 100 µs wait that may be cut short by please_stop (after {warm_up} warm-up turns)"
    );
    println!(
        "| loop | turns | time | µs/turn | resident growth | heap growth | max callbacks on please_stop |"
    );
    println!("|---|---|---|---|---|---|---|");

    let please_stop = Signal::named("please_stop");
    let mut most_pending = 0;
    // One turn; returns the most callbacks seen pending on `please_stop`.
    let turn = |please_stop: &Signal| {
        let either = please_stop | Till::seconds(0.0001);
        let during = please_stop.pending_callbacks();
        either.wait();
        drop(either);
        during.max(please_stop.pending_callbacks())
    };
    for _ in 0..warm_up {
        most_pending = most_pending.max(turn(&please_stop));
    }
    let (resident, heap, start) = (resident_bytes(), live_bytes(), Instant::now());
    for done in 1..=iterations {
        most_pending = most_pending.max(turn(&please_stop));
        if done % 100_000 == 0 {
            eprintln!(
                "  ours: {done} turns, resident {:+} KB, heap {:+} B",
                (resident_bytes() as i64 - resident as i64) / 1024,
                live_bytes() as i64 - heap as i64
            );
        }
    }
    let elapsed = start.elapsed();
    let (resident, heap) = (
        resident_bytes() as i64 - resident as i64,
        live_bytes() as i64 - heap as i64,
    );
    println!(
        "| ours: (&please_stop \\| Till::seconds(0.0001)).wait() | {iterations} | {:.1} s | {:.1} | {:+} KB | {:+} B | {most_pending} |",
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1e6 / iterations as f64,
        resident / 1024,
        heap
    );
    let flat = resident < 1 << 20 && most_pending <= 1;

    let (_stop, stopped) = crossbeam_channel::bounded::<()>(0);
    let peer_turn = || {
        select! {
            recv(stopped) -> _ => {},
            recv(crossbeam_channel::after(Duration::from_micros(100))) -> _ => {},
        }
    };
    for _ in 0..warm_up {
        peer_turn();
    }
    let (resident, heap, start) = (resident_bytes(), live_bytes(), Instant::now());
    for _ in 0..iterations {
        peer_turn();
    }
    let elapsed = start.elapsed();
    println!(
        "| peer: select! on a stop channel and crossbeam_channel::after(100µs) | {iterations} | {:.1} s | {:.1} | {:+} KB | {:+} B | n/a |",
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1e6 / iterations as f64,
        (resident_bytes() as i64 - resident as i64) / 1024,
        live_bytes() as i64 - heap as i64
    );
    println!(
        "target: resident growth < 1 MB and at most 1 callback pending: {}",
        if flat { "met" } else { "missed" }
    );
}
