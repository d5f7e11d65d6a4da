//! What the live console costs a program that a client watches (issue 23:
//! "with a client attached, ≤ 1% change in the queue and thread-tree
//! workloads"), measured side by side in one run:
//!
//! * `queue`: one producer and one consumer, threads of the tree, move
//!   `u64`s through a named `Queue::bounded("files", 1024)`;
//! * `tree`: a tree of 1 → 10 → 100 threads (`tree`, `branch-N`,
//!   `leaf-N`), each leaf summing 10,000 numbers, started and joined.
//!
//! Each workload runs in three settings: console **off** (no console
//! thread, no socket); **on**, with a client attached reading (and parsing)
//! every snapshot at the default interval, 250 ms; and on with the client
//! at the fastest interval, 10 ms, which shows how the sampler's cost
//! scales. The console is served inside a thread `observed`
//! (`console::serve_in(temp dir)`), stopped with that thread's
//! `please_stop` to turn it off; the client is a plain std thread of this
//! process, as a real client would be another process on the same cores.
//!
//! A 1% question is below criterion's noise on a shared 2-core VM, so this
//! is `harness = false` and interleaves: each round runs one batch (about
//! a second of work, so that each batch spans several 250 ms ticks) in
//! each setting, in an order that rotates from round to round, and the
//! ratio on/off is taken within the round. The table gives, over the
//! rounds, the median ratio and its spread (quartiles, min, max).
//!
//! The wall-time ratio of a two-thread workload on two shared cores
//! spreads far wider than 1% (where the scheduler puts the producer and
//! the consumer changes a batch's time by tens of percent), so the table
//! also gives what the console itself takes, with nanosecond precision:
//! the CPU time of the console's threads (`console`, `client-N`, from
//! `/proc/self/task/*/schedstat`) and of the client's (`reader`) during
//! the timed batches, as a share of one core. On a machine with a core to
//! spare that share is the console's whole cost; where the workload uses
//! every core, it is what the workload loses at most, besides caches.
//!
//! ```text
//! cargo bench -p more-threads --bench console_cost            # 31 rounds, ~6 min
//! MORE_THREADS_COST_ROUNDS=11 cargo bench -p more-threads --bench console_cost
//! ```
//!
//! Without `--bench` (as `cargo test --benches` runs it), three short
//! rounds, as a smoke test.

use more_threads::{Queue, Signal, Thread, console};
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The settings, in the order of a round's first batch.
const SETTINGS: [Setting; 3] = [Setting::Off, Setting::On(250), Setting::On(10)];

#[derive(Clone, Copy, PartialEq)]
enum Setting {
    Off,
    /// On, with a client at this interval (ms).
    On(u64),
}

impl Setting {
    fn label(self) -> String {
        match self {
            Setting::Off => "off".to_owned(),
            Setting::On(ms) => format!("on, client at {ms} ms"),
        }
    }
}

#[derive(Clone, Copy)]
enum Workload {
    Queue,
    Tree,
}

impl Workload {
    fn label(self) -> &'static str {
        match self {
            Workload::Queue => "queue 1p/1c bounded(1024)",
            Workload::Tree => "tree 1 -> 10 -> 100",
        }
    }

    /// One unit of work: `size` items through the queue, or `size` trees.
    fn run(self, size: u64) {
        match self {
            Workload::Queue => queue(size),
            Workload::Tree => {
                for _ in 0..size {
                    tree();
                }
            }
        }
    }
}

fn queue(items: u64) {
    let files = Arc::new(Queue::bounded("files", 1024));
    let consumer = {
        let files = files.clone();
        Thread::run("consumer", move |_| files.iter().sum::<u64>()).unwrap()
    };
    let producer = {
        let files = files.clone();
        Thread::run("producer", move |_| {
            for item in 0..items {
                files.add(item).unwrap();
            }
            files.close();
        })
        .unwrap()
    };
    producer.join().unwrap();
    assert_eq!(consumer.join().unwrap(), items * (items - 1) / 2);
}

fn tree() {
    let root = Thread::run("tree", |_| {
        let branches: Vec<_> = (0..10)
            .map(|branch| {
                Thread::run(format!("branch-{branch}"), |_| {
                    let leaves: Vec<_> = (0..10)
                        .map(|leaf| {
                            Thread::run(format!("leaf-{leaf}"), |_| {
                                std::hint::black_box((0..10_000_u64).sum::<u64>())
                            })
                            .unwrap()
                        })
                        .collect();
                    leaves
                        .into_iter()
                        .map(|leaf| leaf.join().unwrap())
                        .sum::<u64>()
                })
                .unwrap()
            })
            .collect();
        branches
            .into_iter()
            .map(|branch| branch.join().unwrap())
            .sum::<u64>()
    })
    .unwrap();
    std::hint::black_box(root.join().unwrap());
}

/// The console on and a client attached; dropped, both are gone.
struct Watched {
    observed: Thread<()>,
    client: std::thread::JoinHandle<u64>,
}

impl Watched {
    fn start(interval_ms: u64, directory: &std::path::Path) -> Watched {
        let (socket_sent, socket) = mpsc::channel::<PathBuf>();
        let directory = directory.to_owned();
        let observed = Thread::run("observed", move |please_stop: &Signal| {
            let socket = console::serve_in(&directory).expect("the console is served");
            socket_sent.send(socket).unwrap();
            please_stop.wait();
        })
        .unwrap();
        let socket = socket.recv().expect("the socket's path");
        let (attached, ready) = mpsc::channel::<()>();
        let client = std::thread::Builder::new()
            .name("reader".to_owned())
            .spawn(move || {
                let stream = UnixStream::connect(&socket).expect("the client connects");
                let mut writer = stream.try_clone().unwrap();
                let mut lines = BufReader::new(stream);
                let mut line = String::new();
                let mut snapshots = 0_u64;
                let mut interval_set = interval_ms == 250;
                if !interval_set {
                    writeln!(writer, r#"{{"command":"interval","ms":{interval_ms}}}"#).unwrap();
                }
                let mut ready = Some(attached);
                // Until the console stops: it shuts the connection down then.
                while lines.read_line(&mut line).is_ok_and(|read| read > 0) {
                    // A real client parses what it is sent.
                    let value: serde_json::Value = serde_json::from_str(&line).unwrap();
                    match value["type"].as_str() {
                        Some("snapshot") => snapshots += 1,
                        Some("interval") => interval_set = true,
                        _ => {}
                    }
                    if interval_set && snapshots > 0 {
                        if let Some(ready) = ready.take() {
                            ready.send(()).unwrap();
                        }
                    }
                    line.clear();
                }
                snapshots
            })
            .unwrap();
        ready.recv().expect("the client is attached");
        Watched { observed, client }
    }

    /// Stops the console; how many snapshots the client read.
    fn stop(self) -> u64 {
        self.observed.stop();
        self.observed.join().unwrap();
        self.client.join().unwrap()
    }
}

/// The CPU time so far of this process's threads named `console`,
/// `client-N` (the server's) and `reader` (the client's): (server, client).
fn console_cpu() -> (Duration, Duration) {
    let (mut server, mut client) = (Duration::ZERO, Duration::ZERO);
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return (server, client);
    };
    for task in tasks.flatten() {
        let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
        let comm = comm.trim_end();
        // schedstat: time on a CPU (ns), time waiting for one, slices.
        let on_cpu = || {
            std::fs::read_to_string(task.path().join("schedstat"))
                .ok()
                .and_then(|line| line.split_whitespace().next()?.parse().ok())
                .map_or(Duration::ZERO, Duration::from_nanos)
        };
        if comm == "console" || comm.starts_with("client-") {
            server += on_cpu();
        } else if comm == "reader" {
            client += on_cpu();
        }
    }
    (server, client)
}

/// What one batch took.
struct Batch {
    wall: Duration,
    snapshots: u64,
    /// CPU time of the console's threads (server) and the client's, during
    /// the timed part.
    server_cpu: Duration,
    client_cpu: Duration,
}

/// One batch of `size`, timed, in `setting`; the console's setup and
/// teardown are not timed.
fn batch(workload: Workload, size: u64, setting: Setting, directory: &std::path::Path) -> Batch {
    let watched = match setting {
        Setting::Off => None,
        Setting::On(ms) => Some(Watched::start(ms, directory)),
    };
    let cpu_before = console_cpu();
    let started = Instant::now();
    workload.run(size);
    let wall = started.elapsed();
    let cpu_after = console_cpu();
    let snapshots = watched.map_or(0, Watched::stop);
    Batch {
        wall,
        snapshots,
        server_cpu: cpu_after.0.saturating_sub(cpu_before.0),
        client_cpu: cpu_after.1.saturating_sub(cpu_before.1),
    }
}

/// The `at` quantile (0..=1) of sorted `values`, the nearest rank.
fn quantile(sorted: &[f64], at: f64) -> f64 {
    let rank = ((sorted.len() - 1) as f64 * at).round() as usize;
    sorted[rank]
}

fn main() {
    let full = std::env::args().any(|arg| arg == "--bench");
    let rounds: usize = std::env::var("MORE_THREADS_COST_ROUNDS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(if full { 31 } else { 3 });
    let batch_target = if full {
        Duration::from_secs(1)
    } else {
        Duration::from_millis(50)
    };
    let directory = std::env::temp_dir().join(format!("console-cost-{}", std::process::id()));
    println!(
        "console_cost: {rounds} rounds, batches of about {batch_target:?}, settings in rotating order"
    );
    for workload in [Workload::Queue, Workload::Tree] {
        // Calibrated off: a batch of about `batch_target`.
        let unit = match workload {
            Workload::Queue => 10_000,
            Workload::Tree => 1,
        };
        let mut size = unit;
        loop {
            let took = batch(workload, size, Setting::Off, &directory).wall;
            if took >= batch_target / 2 {
                size = ((size as f64) * batch_target.as_secs_f64() / took.as_secs_f64()) as u64;
                break;
            }
            size *= 4;
        }
        let size = size.max(unit);
        // One batch in each setting, untimed: the allocator and the
        // console's first start warm up.
        for setting in SETTINGS {
            batch(workload, size, setting, &directory);
        }
        let mut times = vec![Vec::new(); SETTINGS.len()];
        let mut snapshots = vec![0_u64; SETTINGS.len()];
        let mut server_cpu = vec![Duration::ZERO; SETTINGS.len()];
        let mut client_cpu = vec![Duration::ZERO; SETTINGS.len()];
        for round in 0..rounds {
            for step in 0..SETTINGS.len() {
                let index = (round + step) % SETTINGS.len();
                let done = batch(workload, size, SETTINGS[index], &directory);
                times[index].push(done.wall);
                snapshots[index] += done.snapshots;
                server_cpu[index] += done.server_cpu;
                client_cpu[index] += done.client_cpu;
            }
        }
        let per_unit = |took: &Duration| took.as_secs_f64() / size as f64;
        let median_of = |index: usize| {
            let mut sorted: Vec<f64> = times[index].iter().map(per_unit).collect();
            sorted.sort_by(f64::total_cmp);
            quantile(&sorted, 0.5)
        };
        let unit_name = match workload {
            Workload::Queue => "item",
            Workload::Tree => "tree",
        };
        println!();
        println!("{} ({size} {unit_name}s a batch)", workload.label());
        println!(
            "  {:<22} {:>12} {:>8} {:>8} {:>13} {:>13} {:>9} {:>12} {:>12}",
            "setting",
            "median/unit",
            "ratio",
            "",
            "quartiles",
            "min..max",
            "snapshots",
            "console cpu",
            "client cpu"
        );
        for (index, setting) in SETTINGS.into_iter().enumerate() {
            let median = median_of(index);
            let shown = if median < 1e-6 {
                format!("{:.1} ns", median * 1e9)
            } else {
                format!("{:.1} µs", median * 1e6)
            };
            if setting == Setting::Off {
                println!("  {:<22} {:>12} {:>8}", setting.label(), shown, "1");
                continue;
            }
            // Within each round: this setting's batch over the off batch.
            let mut ratios: Vec<f64> = times[index]
                .iter()
                .zip(&times[0])
                .map(|(on, off)| on.as_secs_f64() / off.as_secs_f64())
                .collect();
            ratios.sort_by(f64::total_cmp);
            // The console's CPU over the timed wall time: its share of
            // one core.
            let wall: Duration = times[index].iter().sum();
            let share =
                |cpu: Duration| format!("{:.3}%", cpu.as_secs_f64() / wall.as_secs_f64() * 100.0);
            println!(
                "  {:<22} {:>12} {:>8.4} {:>8} {:>13} {:>13} {:>9} {:>12} {:>12}",
                setting.label(),
                shown,
                quantile(&ratios, 0.5),
                format!("{:+.2}%", (quantile(&ratios, 0.5) - 1.0) * 100.0),
                format!(
                    "{:.3}..{:.3}",
                    quantile(&ratios, 0.25),
                    quantile(&ratios, 0.75)
                ),
                format!("{:.3}..{:.3}", ratios[0], ratios[ratios.len() - 1]),
                snapshots[index],
                share(server_cpu[index]),
                share(client_cpu[index])
            );
        }
    }
    let _ = std::fs::remove_dir_all(&directory);
}
