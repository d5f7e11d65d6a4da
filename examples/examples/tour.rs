//! A tour of more-threads: count the words in every file under a directory
//! with a handful of threads that cooperate through Signals, Tills and a Lock.
//!
//! ```text
//! cargo run --release --example tour [DIRECTORY] [--limit SECONDS]
//! ```
//!
//! DIRECTORY defaults to this project's own source tree. `--limit` stops the
//! job early (a Till standing in for Ctrl-C until the thread tree lands) and
//! shows that a stopped job still reports what it finished.
//!
//! What happens, and which primitive does it:
//! * a `walker` thread lists the files into a work queue held by a [`Lock`];
//!   every push drops a guard, and a dropped guard wakes one idle counter;
//! * four `counter-N` threads take files from the queue, sleeping in
//!   `guard.wait(&please_stop)` while it is empty: no polling;
//! * `walked` is a [`Signal`] the walker makes go when the listing is complete,
//!   and each counter makes its own `done` Signal go when it returns; the main
//!   thread waits on all of them combined with `&`;
//! * a `progress` thread wakes on `(please_stop | all_done | Till)`, so it
//!   prints every 200 ms and returns the moment the job ends.

use more_threads::prelude::*;
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;
use std::{env, fs, io, thread};

/// What the counters share: the files still to count, and whether the walker
/// has finished listing them.
#[derive(Default)]
struct Work {
    files: VecDeque<PathBuf>,
    walking: bool,
}

#[derive(Default, Debug)]
struct Totals {
    files: usize,
    words: usize,
    lines: usize,
    unreadable: usize,
    biggest: Option<(usize, PathBuf)>,
}

const COUNTERS: usize = 4;

fn main() -> ExitCode {
    match tour() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("tour: {error}");
            ExitCode::FAILURE
        }
    }
}

fn tour() -> io::Result<()> {
    let (root, limit) = arguments()?;
    let started = Instant::now();
    println!(
        "tour: counting the words of every file under {}",
        root.display()
    );

    // please_stop goes on --limit here; with the thread tree it is Ctrl-C too.
    let please_stop = match limit {
        Some(seconds) => {
            println!("tour: please_stop is a Till: it goes in {seconds} s");
            Till::seconds(seconds)
        }
        None => Signal::named("please_stop"),
    };
    let work = Arc::new(Lock::named(
        "work",
        Work {
            walking: true,
            ..Work::default()
        },
    ));
    let totals = Arc::new(Lock::named("totals", Totals::default()));
    let walked = Signal::named("walked");

    let walker = {
        let (work, walked, please_stop) = (work.clone(), walked.clone(), please_stop.clone());
        spawn("walker", move || {
            let found = walk(&root, &work, &please_stop);
            work.lock().walking = false; // the guard's drop wakes one counter...
            walked.go(); // ...and this wakes whoever waits for the listing
            found
        })?
    };

    let mut counters = Vec::new();
    let mut all_done = walked.clone();
    for index in 0..COUNTERS {
        let done = Signal::named(format!("counter-{index} done"));
        all_done = &all_done & &done;
        let (work, totals, please_stop) = (work.clone(), totals.clone(), please_stop.clone());
        counters.push(spawn(&format!("counter-{index}"), move || {
            let counted = count_files(&work, &totals, &please_stop);
            done.go();
            counted
        })?);
    }

    let progress = {
        let (totals, stop_or_done) = (totals.clone(), &please_stop | &all_done);
        spawn("progress", move || {
            loop {
                (&stop_or_done | Till::seconds(0.2)).wait();
                let totals = totals.lock();
                println!(
                    "progress: {:>6} files, {:>9} words so far",
                    totals.files, totals.words
                );
                if stop_or_done.is_go() {
                    break;
                }
            }
        })?
    };

    // Wait for the job to end, or to be stopped. Counters asleep in the work
    // queue wait on please_stop too, so either way every thread returns.
    let finished = all_done.wait_till(&please_stop);
    if finished {
        println!("tour: all done: the walker and every counter went");
    } else {
        println!("tour: please_stop went before the job finished; collecting partial results");
    }
    let found = walker.join().expect("walker panicked");
    let counted: usize = counters
        .into_iter()
        .map(|counter| counter.join().expect("a counter panicked"))
        .sum();
    progress.join().expect("progress panicked");

    let totals = Arc::try_unwrap(totals)
        .map(Lock::into_inner)
        .expect("every thread has been joined");
    println!();
    println!("summary ({:.2?}):", started.elapsed());
    println!("  walker listed   {found:>9} files");
    println!("  counters read   {counted:>9} files");
    println!("  words           {:>9}", totals.words);
    println!("  lines           {:>9}", totals.lines);
    println!(
        "  unreadable      {:>9} files (binary or gone)",
        totals.unreadable
    );
    if let Some((words, path)) = &totals.biggest {
        println!("  wordiest file   {} ({words} words)", path.display());
    }
    if !finished {
        println!("  (partial: stopped by please_stop)");
    }
    Ok(())
}

/// Starts a named OS thread. (The thread tree will replace this with
/// `Thread::run`, which also stops and joins children.)
fn spawn<T: Send + 'static>(
    name: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> io::Result<thread::JoinHandle<T>> {
    println!("tour: starting thread `{name}`");
    thread::Builder::new().name(name.to_owned()).spawn(work)
}

/// Lists every file under `root` into the work queue; returns how many.
fn walk(root: &Path, work: &Lock<Work>, please_stop: &Signal) -> usize {
    let mut found = 0;
    let mut directories = vec![root.to_path_buf()];
    while let Some(directory) = directories.pop() {
        if please_stop.is_go() {
            break;
        }
        let Ok(entries) = fs::read_dir(&directory) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            if kind.is_dir() && !hidden && entry.file_name() != "target" {
                directories.push(path);
            } else if kind.is_file() {
                found += 1;
                work.lock().files.push_back(path); // each drop wakes one idle counter
            }
        }
    }
    println!("walker: listed {found} files");
    found
}

/// Takes files off the queue until it is empty and the walker is done, or
/// please_stop goes; returns how many files this counter read.
fn count_files(work: &Lock<Work>, totals: &Lock<Totals>, please_stop: &Signal) -> usize {
    let mut counted = 0;
    loop {
        let path = {
            let mut queue = work.lock();
            loop {
                if please_stop.is_go() {
                    return counted;
                }
                if let Some(path) = queue.files.pop_front() {
                    break path;
                }
                if !queue.walking {
                    return counted;
                }
                // Asleep without the lock until a guard drops or please_stop goes.
                queue.wait(please_stop);
            }
        };
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
                    .biggest
                    .as_ref()
                    .is_none_or(|(most, _)| words > *most)
                {
                    totals.biggest = Some((words, path));
                }
            }
            Err(_) => totals.unreadable += 1,
        }
    }
}

fn arguments() -> io::Result<(PathBuf, Option<f64>)> {
    let mut root = None;
    let mut limit = None;
    let mut arguments = env::args().skip(1);
    while let Some(argument) = arguments.next() {
        if argument == "--limit" {
            let seconds = arguments.next().and_then(|text| text.parse::<f64>().ok());
            match seconds {
                Some(seconds) => limit = Some(seconds),
                None => {
                    return Err(invalid(
                        "--limit needs a number of seconds, e.g. --limit 0.5",
                    ));
                }
            }
        } else if root.is_none() {
            root = Some(PathBuf::from(argument));
        } else {
            return Err(invalid(&format!("unexpected argument {argument:?}")));
        }
    }
    let root = root.unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".."));
    let root = root.canonicalize().map_err(|error| {
        invalid(&format!(
            "cannot read directory {}: {error}",
            root.display()
        ))
    })?;
    Ok((root, limit))
}

fn invalid(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message)
}
