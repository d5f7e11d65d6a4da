//! A tour of more-threads: count the words in every file under a directory
//! with a small tree of named threads, written in the DSL, that cooperate
//! through a Queue, Signals, Tills and a Lock, and stop cleanly on Ctrl-C.
//!
//! ```text
//! cargo run --release --example tour -- [DIRECTORY] [--limit SECONDS] [--delay-ms N] [--profile] [--trace FILE]
//! ```
//!
//! DIRECTORY defaults to this project's own source tree. `--limit` stops the
//! job after that many seconds, as Ctrl-C does at any time: either way the
//! threads are asked to stop, joined, and the partial result is reported.
//! `--delay-ms` pretends each file takes that long to read, to leave time
//! for Ctrl-C on a small tree. `--profile` prints where every thread's time
//! went at the end (`more_threads::profile`); `--trace FILE` also writes the
//! timeline, to open in <https://ui.perfetto.dev>.
//!
//! What happens, and which part of more-threads does it:
//! * `#[more_threads::main]` makes the main thread the root of the tree:
//!   Ctrl-C makes every thread's `please_stop` go, and the shutdown joins them;
//! * `scope!` starts the children, which borrow the queue and the totals
//!   from `main`; its end stops and joins whatever still runs;
//! * `walker` lists the files into a [`Queue`], and closes it when done:
//!   closing keeps every path already added;
//! * `counter-0`..`counter-3` take paths with `files.iter(please_stop)`,
//!   asleep while the queue is empty (no polling), until it is closed and
//!   drained or they are asked to stop; they add up the totals in a [`Lock`];
//! * main waits for the walker's and the counters' `stopped` Signals combined
//!   with `&`, or for `please_stop`; `progress` wakes on
//!   `please_stop | done | Till::seconds(0.2)` and draws the tree once.

use more_threads::prelude::*;
use more_threads::{dump, stop_main};
use std::error::Error;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use std::{env, fs};

#[derive(Default)]
struct Totals {
    files: usize,
    words: usize,
    lines: usize,
    unreadable: usize,
    wordiest: Option<(usize, PathBuf)>,
}

struct Options {
    root: PathBuf,
    limit: Option<f64>,
    delay: Duration,
    profile: bool,
    trace: Option<PathBuf>,
}

const COUNTERS: usize = 4;

#[more_threads::main]
fn main() -> Result<(), Box<dyn Error>> {
    let options = arguments()?;
    if options.profile || options.trace.is_some() {
        // Every thread from here on (main included) is profiled.
        more_threads::profile::enable();
    }
    let started = Instant::now();
    println!(
        "tour: counting the words of every file under {}",
        options.root.display()
    );
    println!("tour: press Ctrl-C to stop early; the threads stop and report what they did");
    // A Till that does what Ctrl-C does, when it goes. (Kept alive: the timer
    // holds Tills weakly, so a dropped Till never goes.)
    let _limit = options.limit.map(|seconds| {
        println!("tour: --limit {seconds}: the whole tree is asked to stop then");
        let limit = Till::seconds(seconds);
        limit.then(stop_main);
        limit
    });
    let files = Queue::bounded("files", 1024);
    let totals = Lock::named("totals", Totals::default());

    let (listed, counted, finished) = scope! {
        let walker = spawn "walker" => walk(&options.root, &files);
        let mut done = walker.stopped().clone();
        let mut counters = Vec::new();
        for index in 0..COUNTERS {
            let counter = spawn format!("counter-{index}") => count_files(&files, &totals, options.delay);
            done = &done & counter.stopped();
            counters.push(counter);
        }
        let progress = spawn "progress" => report_progress(&totals, done.clone());
        println!("tour: started {} threads under `main`: walker, counter-0..{}, progress", COUNTERS + 2, COUNTERS - 1);

        // Stopped means partial, even when the threads had little left to do.
        let finished = done.wait_till(please_stop) && !please_stop.is_go();
        if finished {
            println!("tour: done: the walker and every counter have stopped");
        } else {
            println!("tour: please_stop went: stopping, then collecting the partial result");
        }
        let listed = walker.join()?;
        let mut counted = 0;
        for counter in counters {
            counted += counter.join()?;
        }
        progress.join()?;
        (listed, counted, finished)
    };

    let totals = totals.into_inner();
    println!();
    println!("summary ({:.2?}):", started.elapsed());
    println!("  walker listed   {listed:>10} files");
    println!("  counters read   {counted:>10} files");
    println!("  words           {:>10}", totals.words);
    println!("  lines           {:>10}", totals.lines);
    println!(
        "  unreadable      {:>10} files (binary or gone)",
        totals.unreadable
    );
    if let Some((words, path)) = &totals.wordiest {
        println!("  wordiest file   {} ({words} words)", path.display());
    }
    if !finished {
        println!("  (partial: stopped by please_stop)");
    }
    if options.profile || options.trace.is_some() {
        let report = more_threads::profile::report();
        if options.profile {
            println!();
            println!("profile (where each thread's time went, and what they waited on):");
            print!("{report}");
        }
        if let Some(trace) = &options.trace {
            report.write_trace(trace)?;
            println!(
                "tour: the timeline is in {} (open it in https://ui.perfetto.dev)",
                trace.display()
            );
        }
    }
    Ok(())
}

/// Lists every file under `root` into the queue, then closes it; returns
/// how many it listed.
#[worker]
fn walk(root: &Path, files: &Queue<PathBuf>) -> usize {
    let mut listed = 0;
    let mut directories = vec![root.to_path_buf()];
    while let Some(directory) = directories.pop() {
        let Ok(entries) = fs::read_dir(&directory) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let name = entry.file_name();
            let skipped = name.to_string_lossy().starts_with('.') || name == "target";
            if kind.is_dir() && !skipped {
                directories.push(entry.path());
            } else if kind.is_file() {
                // Waits while the queue is full, but not past please_stop.
                if files.add_till(entry.path(), please_stop).is_err() {
                    files.close();
                    println!("walker: stopped after listing {listed} files");
                    return listed;
                }
                listed += 1;
            }
        }
    }
    files.close(); // no more files: the counters drain what is left, then end
    println!("walker: listed {listed} files");
    listed
}

/// Counts the files it takes off the queue until the queue is closed and
/// drained, or please_stop goes; returns how many files it read.
#[worker]
fn count_files(files: &Queue<PathBuf>, totals: &Lock<Totals>, delay: Duration) -> usize {
    let mut counted = 0;
    for path in files.iter(please_stop) {
        if !delay.is_zero() {
            // A slow disk, pretended; still stoppable at once.
            please_stop.wait_till(&Till::after(delay));
        }
        let text = fs::read_to_string(&path);
        counted += 1;
        let mut totals = totals.lock();
        totals.files += 1;
        match text {
            Ok(text) => {
                let words = text.split_whitespace().count();
                totals.words += words;
                totals.lines += text.lines().count();
                if totals
                    .wordiest
                    .as_ref()
                    .is_none_or(|(most, _)| words > *most)
                {
                    totals.wordiest = Some((words, path));
                }
            }
            Err(_) => totals.unreadable += 1,
        }
    }
    counted
}

/// Prints the running totals every 200 ms until the job is done or stopped,
/// and draws the thread tree once.
#[worker]
fn report_progress(totals: &Lock<Totals>, done: Signal) {
    let finished = please_stop | &done;
    let mut drawn = false;
    loop {
        (&finished | Till::seconds(0.2)).wait();
        let (files, words) = {
            let totals = totals.lock();
            (totals.files, totals.words)
        };
        println!("progress: {files:>7} files, {words:>10} words so far");
        if !drawn {
            drawn = true;
            println!("progress: the thread tree right now:\n{}", dump());
        }
        if finished.is_go() {
            break;
        }
    }
}

fn arguments() -> Result<Options, String> {
    let mut root = None;
    let mut limit = None;
    let mut delay = Duration::ZERO;
    let mut profile = false;
    let mut trace = None;
    let mut arguments = env::args().skip(1);
    while let Some(argument) = arguments.next() {
        match argument.as_str() {
            "--limit" => {
                let seconds = arguments.next().and_then(|text| text.parse::<f64>().ok());
                limit = Some(seconds.ok_or("--limit needs a number of seconds, e.g. --limit 0.5")?);
            }
            "--delay-ms" => {
                let millis = arguments.next().and_then(|text| text.parse::<u64>().ok());
                let millis = millis.ok_or("--delay-ms needs a whole number of milliseconds")?;
                delay = Duration::from_millis(millis);
            }
            "--profile" => profile = true,
            "--trace" => {
                trace = Some(PathBuf::from(
                    arguments.next().ok_or("--trace needs a file name")?,
                ));
            }
            _ if root.is_none() && !argument.starts_with("--") => {
                root = Some(PathBuf::from(argument))
            }
            _ => return Err(format!("unexpected argument {argument:?}")),
        }
    }
    let root = root.unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".."));
    let root = root
        .canonicalize()
        .map_err(|error| format!("cannot read directory {}: {error}", root.display()))?;
    Ok(Options {
        root,
        limit,
        delay,
        profile,
        trace,
    })
}
