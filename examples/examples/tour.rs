//! A tour of more-threads: count the words in every file under a directory
//! with a small tree of named threads, written in the DSL, that cooperate
//! through a Queue, Signals, Tills and a Lock, show themselves at work in
//! the thread dump, and stop cleanly on Ctrl-C.
//!
//! ```text
//! cargo run --release --example tour -- [OPTIONS] [DIRECTORY]
//! cargo run --release --example tour -- --help
//! ```
//!
//! `--help` says what the arguments, the options, the keys and the
//! environment variables do (`USAGE` below).
//!
//! What happens, and which part of more-threads does it:
//! * `#[more_threads::main]` makes the main thread the root of the tree:
//!   Ctrl-C makes every thread's `please_stop` go and the shutdown joins
//!   them; Ctrl-\ (SIGQUIT) draws the tree on stderr at any moment;
//! * `scope!` starts the children, which borrow the queue, the totals and
//!   the Signals from `main`; its end stops and joins whatever still runs;
//! * `walker` lists the files into a [`Queue`], and closes it when done:
//!   closing keeps every path already added;
//! * `counter-0`..`counter-3` take paths with `files.iter()`,
//!   asleep while the queue is empty (no polling), until it is closed and
//!   drained or they are asked to stop; they add up the totals in a [`Lock`];
//! * `progress` wakes on `please_stop | done | Till::seconds(0.2)` to print
//!   the totals, and draws the tree with [`dump()`] once the first totals
//!   are in (or, in an empty directory, once the walker has listed
//!   everything). So that the drawing finds every thread alive even when
//!   the whole job takes a millisecond, the walker keeps the queue open
//!   until the tree is drawn: the counters end only once it is closed;
//! * main waits for `Signal::all` of the walker's and the counters'
//!   `stopped` Signals, or for `please_stop`;
//! * with `--console`, [`console::serve()`](more_threads::console::serve)
//!   puts the live console on `main/console` once the command line is read,
//!   and the tour keeps it open after the summary, until Ctrl-C or
//!   `--limit`: a second terminal attaches with `more-threads-console PID`
//!   at leisure, during the work or after it.

use more_threads::prelude::*;
use more_threads::{dump, stop_main};
use std::error::Error;
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};
use std::{env, fs};

/// `println!`, except that a stdout nobody reads any more (`tour | head`)
/// asks the whole tree to stop, as Ctrl-C does, instead of panicking in
/// each thread that prints.
macro_rules! say {
    ($($line:tt)*) => {
        say(format_args!("{}\n", format_args!($($line)*)))
    };
}

fn say(text: std::fmt::Arguments<'_>) {
    if std::io::stdout().write_fmt(text).is_err() {
        stop_main();
    }
}

/// What `--help` prints.
const USAGE: &str = "\
tour: counts the words of every file under DIRECTORY with a tree of named
threads (a walker, four counters and a progress reporter) that meet only
through a Queue, Signals, Tills and a Lock. While they work, it draws the
thread tree (each thread's path, age and what it is blocked on); at the
end, a summary.

Usage: tour [OPTIONS] [DIRECTORY]

Arguments:
  [DIRECTORY]  the directory to count (a file is counted alone);
               default: this project's source tree

Options:
      --limit <SECONDS>  stop after SECONDS, as Ctrl-C does, and report the
                         partial result
      --delay-ms <N>     pretend each file takes N ms to read, to leave
                         time for Ctrl-C on a small directory
      --profile          print where each thread's time went, at the end
      --trace <FILE>     write the timeline to FILE (Chrome trace-event
                         JSON, to open in https://ui.perfetto.dev)
      --console          serve the live console while it works, and keep it
                         open after the summary until Ctrl-C (or --limit);
                         attach with `more-threads-console PID`
  -h, --help             print this help

While it runs:
  Ctrl-C  every thread is asked to stop and is joined, then the partial
          result is reported; a second Ctrl-C exits at once
  Ctrl-\\  (SIGQUIT) draws the thread tree on stderr

Environment:
  RUST_LOG                 which log lines of the runtime reach stderr
                           (default: info; `error` hides the line that
                           says Ctrl-C was received)
  MORE_THREADS_LOG_FORMAT  `json`: the log as JSON lines
  MORE_THREADS_LOG_FILE    the log goes to this file instead of stderr
  MORE_THREADS_PROFILE     write the profile to this file (`-`: stderr)
                           at exit
  MORE_THREADS_TRACE       write the timeline to this file at exit

Exit status: 0 when done, or stopped by Ctrl-C or --limit; 1 when the
tour failed (DIRECTORY cannot be read, or the console cannot be served);
2 on a bad argument, or when a thread still ran 5 s after the stop; 130
after a second Ctrl-C.
";

/// The first lines of an answer to a bad argument, as clap words them.
const USAGE_HINT: &str = "Usage: tour [OPTIONS] [DIRECTORY]\n\nFor more information, try '--help'.";

#[derive(Default)]
struct Totals {
    files: usize,
    words: usize,
    lines: usize,
    unreadable: usize,
    wordiest: Option<(usize, PathBuf)>,
}

/// The command line, checked once.
#[derive(Default)]
struct Options {
    /// As given; [`open_root`] checks it.
    directory: Option<PathBuf>,
    limit: Option<f64>,
    delay: Option<Duration>,
    profile: bool,
    trace: Option<PathBuf>,
    console: bool,
}

/// What the command line asks for.
enum Asked {
    Tour(Options),
    Help,
}

const COUNTERS: usize = 4;

#[more_threads::main(dump_on_sigquit = true)]
fn main() -> Result<ExitCode, Box<dyn Error>> {
    let options = match parse(env::args_os().skip(1)) {
        Ok(Asked::Tour(options)) => options,
        Ok(Asked::Help) => {
            say(format_args!("{USAGE}"));
            return Ok(ExitCode::SUCCESS);
        }
        Err(error) => {
            eprintln!("error: {error}\n\n{USAGE_HINT}");
            return Ok(ExitCode::from(2));
        }
    };
    let root = match open_root(options.directory) {
        Ok(root) => root,
        Err(error) => {
            eprintln!("tour: {error}");
            return Ok(ExitCode::FAILURE);
        }
    };
    // Served before any work, so that a client sees the whole job; a
    // console asked for and not served is a failure, not a silent no.
    let console = if options.console {
        match more_threads::console::serve() {
            Ok(socket) => Some(socket),
            Err(error) => {
                eprintln!("tour: the console is not served: {error}");
                return Ok(ExitCode::FAILURE);
            }
        }
    } else {
        None
    };
    let delay = options.delay.unwrap_or_default();
    if options.profile || options.trace.is_some() {
        // Every thread from here on (main included) is profiled.
        more_threads::profile::enable();
    }
    let started = Instant::now();
    if root.is_dir() {
        say!(
            "tour: counting the words of every file under {}",
            root.display()
        );
    } else {
        say!("tour: counting the words of {}", root.display());
    }
    say!("tour: press Ctrl-C to stop early; the threads stop and report what they did");
    if let Some(socket) = &console {
        say!(
            "tour: console at {} — attach with `cargo run -p more-threads-console -- {}`",
            socket.display(),
            std::process::id()
        );
    }
    // A Till that does what Ctrl-C does, when it goes. (Kept alive: the timer
    // holds Tills weakly, so a dropped Till never goes.)
    let _limit = options.limit.map(|seconds| {
        say!("tour: --limit {seconds}: the whole tree is asked to stop then");
        let limit = Till::seconds(seconds);
        limit.then(stop_main);
        limit
    });
    let files = Queue::bounded("files", 1024);
    let totals = Lock::named("totals", Totals::default());
    // The moment to draw the tree: the counters are at work, or there is
    // nothing to count. The walker waits for `drawn` before it closes the
    // queue, so the drawing finds every thread alive, however fast the job.
    let first_totals = Signal::named("first totals");
    let listed_all = Signal::named("every file listed");
    let drawn = Signal::named("the tree is drawn");

    say!(
        "tour: starting {} threads under `main`: walker, counter-0..{}, progress",
        COUNTERS + 2,
        COUNTERS - 1
    );
    let (listed, counted, finished) = scope! {
        let walker = spawn "walker" => walk(&root, &files, &listed_all, &drawn);
        let mut counters = Vec::new();
        for index in 0..COUNTERS {
            let counter = spawn format!("counter-{index}") => count_files(&files, &totals, &first_totals, delay);
            counters.push(counter);
        }
        let done = Signal::all([walker.stopped()].into_iter().chain(counters.iter().map(|counter| counter.stopped())));
        let progress = spawn "progress" => report_progress(&totals, &first_totals | &listed_all, &drawn, done.clone());
        // Stopped means partial, even when the threads had little left to do.
        let finished = done.wait_till(please_stop) && !please_stop.is_go();
        if finished {
            say!("tour: done: the walker and every counter have stopped");
        } else {
            say!("tour: please_stop went: stopping, then collecting the partial result");
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
    say!("");
    say!("summary ({:.2?}):", started.elapsed());
    say!("  walker listed   {listed:>10} files");
    say!("  counters read   {counted:>10} files");
    say!("  words           {:>10}", totals.words);
    say!("  lines           {:>10}", totals.lines);
    say!(
        "  unreadable      {:>10} files (binary or gone)",
        totals.unreadable
    );
    if let Some((words, path)) = &totals.wordiest {
        say!("  wordiest file   {} ({words} words)", path.display());
    }
    if !finished {
        say!("  (partial: stopped by please_stop)");
    }
    if options.profile || options.trace.is_some() {
        let report = more_threads::profile::report();
        if options.profile {
            say!("");
            say!("profile (where each thread's time went, and what they waited on):");
            say(format_args!("{report}"));
        }
        if let Some(trace) = &options.trace {
            report.write_trace(trace)?;
            say!(
                "tour: the timeline is in {} (open it in https://ui.perfetto.dev)",
                trace.display()
            );
        }
    }
    if console.is_some() {
        // The point of --console is to look at the program: a job done in
        // a millisecond must not take the console with it. Ctrl-C or
        // --limit make please_stop go, and the shutdown stops the console,
        // which removes its socket.
        if !please_stop.is_go() {
            say!("tour: done; the console stays open until Ctrl-C");
        }
        please_stop.wait();
    }
    Ok(ExitCode::SUCCESS)
}

/// Lists every file under `root` (or `root` itself, a file) into the queue;
/// then, once the tree is drawn, closes it. Returns how many it listed.
#[worker]
fn walk(root: &Path, files: &Queue<PathBuf>, listed_all: &Signal, drawn: &Signal) -> usize {
    let listed = if root.is_dir() {
        list_directory(root, files, please_stop)
    } else {
        files
            .add_till(root.to_path_buf(), please_stop)
            .map(|()| 1)
            .map_err(|_| 0)
    };
    match listed {
        Ok(listed) => {
            say!("walker: listed {}", files_count(listed));
            listed_all.go();
            // The counters end once the queue is closed and drained: keep
            // them alive until progress has drawn them at work.
            drawn.wait_till(please_stop);
            files.close();
            listed
        }
        Err(listed) => {
            files.close(); // the counters still take what is in it, unless stopped too
            say!("walker: stopped after listing {}", files_count(listed));
            listed
        }
    }
}

/// Lists every file under `directory` into the queue: `Ok` with how many,
/// or `Err` with how many it had listed when please_stop went.
fn list_directory(
    directory: &Path,
    files: &Queue<PathBuf>,
    please_stop: &Signal,
) -> Result<usize, usize> {
    let mut listed = 0;
    let mut directories = vec![directory.to_path_buf()];
    while let Some(directory) = directories.pop() {
        if please_stop.is_go() {
            return Err(listed);
        }
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
                    return Err(listed);
                }
                listed += 1;
            }
        }
    }
    Ok(listed)
}

/// Counts the files it takes off the queue until the queue is closed and
/// drained, or please_stop goes; returns how many files it read.
#[worker]
fn count_files(
    files: &Queue<PathBuf>,
    totals: &Lock<Totals>,
    first_totals: &Signal,
    delay: Duration,
) -> usize {
    let mut counted = 0;
    for path in files.iter() {
        if !delay.is_zero() {
            // A slow disk, pretended (the dump shows the Till); still
            // stoppable at once.
            Till::after(delay).wait_till(please_stop);
        }
        let text = fs::read_to_string(&path);
        counted += 1;
        {
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
        if !first_totals.is_go() {
            first_totals.go();
        }
    }
    counted
}

/// Prints the running totals every 200 ms until the job is done or
/// stopped; draws the thread tree once `draw_when` goes, then lets `drawn`
/// go.
#[worker]
fn report_progress(totals: &Lock<Totals>, draw_when: Signal, drawn: &Signal, done: Signal) {
    let finished = please_stop | &done;
    loop {
        if drawn.is_go() {
            (&finished | Till::seconds(0.2)).wait();
        } else {
            (&finished | &draw_when | Till::seconds(0.2)).wait();
        }
        let (files, words) = {
            let totals = totals.lock();
            (totals.files, totals.words)
        };
        say!("progress: {files:>7} files, {words:>10} words so far");
        if draw_when.is_go() && !drawn.is_go() {
            say!(
                "progress: the thread tree at work, as more_threads::dump() draws it:\n{}",
                dump()
            );
            drawn.go();
        }
        if finished.is_go() {
            break;
        }
    }
}

/// `1 file`, `2 files`.
fn files_count(count: usize) -> String {
    format!("{count} file{}", if count == 1 { "" } else { "s" })
}

/// Reads the command line (without the program's name). An error says
/// what was wrong as clap says it; the caller adds the usage hint.
fn parse(arguments: impl IntoIterator<Item = OsString>) -> Result<Asked, String> {
    let mut options = Options::default();
    let mut arguments = arguments.into_iter();
    let mut options_ended = false;
    while let Some(argument) = arguments.next() {
        // `-` alone is a name, as for most tools; after `--`, all are.
        let bytes = argument.as_encoded_bytes();
        if options_ended || bytes.len() < 2 || bytes[0] != b'-' {
            if options.directory.is_some() {
                return Err(format!(
                    "unexpected argument '{}' found",
                    argument.to_string_lossy()
                ));
            }
            options.directory = Some(argument.into());
            continue;
        }
        let text = argument.to_string_lossy();
        let (name, attached) = match text.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value)),
            _ => (&*text, None),
        };
        // An option's value: after its `=`, or the next argument.
        let mut value = |spelled: &str| match attached {
            Some(value) => Ok(OsString::from(value)),
            None => arguments.next().ok_or_else(|| {
                format!("a value is required for '{spelled}' but none was supplied")
            }),
        };
        match name {
            "-h" | "--help" | "--profile" | "--console" | "--" if attached.is_some() => {
                return Err(format!(
                    "unexpected value '{}' for '{name}' found",
                    attached.unwrap_or_default()
                ));
            }
            "-h" | "--help" => return Ok(Asked::Help),
            "--profile" => options.profile = true,
            "--console" => {
                if options.console {
                    return Err("the argument '--console' cannot be used multiple times".to_owned());
                }
                options.console = true;
            }
            "--" => options_ended = true,
            "--limit" => {
                let spelled = "--limit <SECONDS>";
                let text = value(spelled)?;
                let seconds = text
                    .to_str()
                    .and_then(|text| text.parse::<f64>().ok())
                    .filter(|seconds| *seconds >= 0.0)
                    .ok_or_else(|| invalid(spelled, &text, "a number of seconds, e.g. 0.5"))?;
                once(&mut options.limit, seconds, spelled)?;
            }
            "--delay-ms" => {
                let spelled = "--delay-ms <N>";
                let text = value(spelled)?;
                let millis = text
                    .to_str()
                    .and_then(|text| text.parse::<u64>().ok())
                    .ok_or_else(|| invalid(spelled, &text, "a whole number of milliseconds"))?;
                once(&mut options.delay, Duration::from_millis(millis), spelled)?;
            }
            "--trace" => {
                let spelled = "--trace <FILE>";
                let file = value(spelled)?;
                once(&mut options.trace, PathBuf::from(file), spelled)?;
            }
            _ => return Err(format!("unexpected argument '{text}' found")),
        }
    }
    Ok(Asked::Tour(options))
}

fn invalid(spelled: &str, value: &std::ffi::OsStr, wanted: &str) -> String {
    format!(
        "invalid value '{}' for '{spelled}': {wanted}",
        value.to_string_lossy()
    )
}

/// Sets an option given at most once.
fn once<T>(slot: &mut Option<T>, value: T, spelled: &str) -> Result<(), String> {
    if slot.replace(value).is_some() {
        return Err(format!(
            "the argument '{spelled}' cannot be used multiple times"
        ));
    }
    Ok(())
}

/// The directory (or the one file) to count, as an absolute path; or why
/// it cannot be counted.
fn open_root(directory: Option<PathBuf>) -> Result<PathBuf, String> {
    let given = directory.unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".."));
    let cannot = |error: std::io::Error| format!("cannot read {}: {error}", given.display());
    let root = given.canonicalize().map_err(cannot)?;
    if root.is_dir() {
        // One that exists but may not be listed would count as empty.
        fs::read_dir(&root).map_err(cannot)?;
    } else if !root.is_file() {
        // A FIFO or a device: reading it might never end.
        return Err(format!(
            "cannot count {}: neither a directory nor a regular file",
            given.display()
        ));
    }
    Ok(root)
}
