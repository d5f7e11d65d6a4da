//! Where the threads' time went: per thread, wall time, CPU time, and the
//! time blocked on each named Signal, Lock, Queue and join, folded into one
//! table, and a timeline to look at.
//!
//! Off by default, it costs one relaxed load when off. [`enable`] it (or
//! `#[more_threads::main(profile = "path")]`, or `MORE_THREADS_PROFILE=path`)
//! and every thread the tree makes from then on is profiled; [`report`]
//! gives the table, whose rows fold threads whose names differ only by
//! digits together (`counter-0`..`counter-3` are `counter-#`), and
//! [`Report::write_trace`] the timeline, as Chrome trace-event JSON that
//! Perfetto (<https://ui.perfetto.dev>) and `chrome://tracing` open.
//!
//! ```
//! use more_threads::{Lock, Thread, Till, profile};
//! use std::sync::Arc;
//!
//! profile::enable();
//! let totals = Arc::new(Lock::named("totals", 0_u64));
//! let workers: Vec<_> = (0..2)
//!     .map(|n| {
//!         let totals = totals.clone();
//!         Thread::run(&format!("worker-{n}"), move |_| {
//!             let mut guard = totals.lock();
//!             *guard += 1;
//!             Till::seconds(0.01).wait(); // holds the lock: the other waits
//!         })
//!     })
//!     .collect::<Result<_, _>>()?;
//! for worker in workers {
//!     worker.join()?;
//! }
//! let report = profile::report();
//! let row = report.threads().iter().find(|row| row.pattern() == "worker-#").unwrap();
//! assert_eq!(row.threads(), 2);
//! println!("{report}");
//! # Ok::<(), more_threads::ThreadError>(())
//! ```
//!
//! # What it measures, and what it does not
//!
//! * Wall time runs from when a thread entered the tree to when it ended
//!   (its children joined), or to now for a thread still running.
//! * CPU time is the OS's count for the thread (`CLOCK_THREAD_CPUTIME_ID`);
//!   for a thread still running it is read from `/proc` on Linux and is
//!   unknown elsewhere.
//! * A wait is counted when it ends, under what it waited for: `Lock
//!   "totals"`, `Queue "files"`, `Signal "please_stop of main/walker"` (a
//!   Till as `till`), `joining main/walker`. A wait inside another (a join
//!   waits on a Signal) counts once, as the outer one. Blocking the runtime
//!   does not see (I/O, `std` locks, sleeps) is neither CPU nor blocked: it
//!   is the rest of the wall time.
//! * Threads made before profiling was enabled are not in it.

use crate::local::profile::{self as recorder, Interval, Snapshot};
use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::path::Path;
use std::time::{Duration, Instant};

/// Profiles every thread the tree makes from now on (and the calling
/// thread, if the tree knows it); cannot be turned off.
///
/// ```
/// more_threads::profile::enable();
/// assert!(more_threads::profile::is_enabled());
/// ```
pub fn enable() {
    recorder::enable();
    crate::local::with_current(|local| {
        if let Some(profile) = local.and_then(crate::local::Local::start_profile) {
            profile.entered();
        }
    });
}

/// Whether [`enable`] was called.
///
/// ```
/// let _on = more_threads::profile::is_enabled();
/// ```
pub fn is_enabled() -> bool {
    recorder::enabled()
}

/// The profile of every thread profiled so far, folded into one table.
///
/// ```
/// more_threads::profile::enable();
/// let report = more_threads::profile::report();
/// assert!(report.to_string().starts_with("threads"));
/// ```
pub fn report() -> Report {
    let now = Instant::now();
    let profiles: Vec<Profiled> = recorder::all()
        .iter()
        .map(|profile| Profiled {
            name: profile.name.to_string(),
            path: profile.path.to_string(),
            started: profile.started,
            snapshot: profile.snapshot(),
        })
        .collect();
    let mut threads: BTreeMap<String, ThreadRow> = BTreeMap::new();
    let mut resources: BTreeMap<String, ResourceRow> = BTreeMap::new();
    for profiled in &profiles {
        let pattern = fold_digits(&profiled.name);
        let ended = profiled.snapshot.ended.unwrap_or(now);
        let row = threads.entry(pattern.clone()).or_insert_with(|| ThreadRow {
            pattern: pattern.clone(),
            threads: 0,
            wall: Duration::ZERO,
            cpu: Some(Duration::ZERO),
            blocked: Duration::ZERO,
            waits: 0,
        });
        row.threads += 1;
        row.wall += ended.saturating_duration_since(profiled.started);
        row.cpu = match (row.cpu, profiled.snapshot.cpu) {
            (Some(sum), Some(cpu)) => Some(sum + cpu),
            _ => None,
        };
        for (on, waits) in &profiled.snapshot.waits {
            row.blocked += waits.total;
            row.waits += waits.count;
            let what = fold_digits(on);
            let resource = resources
                .entry(what.clone())
                .or_insert_with(|| ResourceRow {
                    what,
                    waits: 0,
                    blocked: Duration::ZERO,
                    threads: Vec::new(),
                });
            resource.waits += waits.count;
            resource.blocked += waits.total;
            if !resource.threads.contains(&pattern) {
                resource.threads.push(pattern.clone());
            }
        }
    }
    let mut threads: Vec<ThreadRow> = threads.into_values().collect();
    threads.sort_by(|a, b| b.wall.cmp(&a.wall).then_with(|| a.pattern.cmp(&b.pattern)));
    let mut resources: Vec<ResourceRow> = resources.into_values().collect();
    resources.sort_by(|a, b| b.blocked.cmp(&a.blocked).then_with(|| a.what.cmp(&b.what)));
    Report {
        threads,
        resources,
        profiles,
        taken: now,
    }
}

/// `counter-12` → `counter-#`: each run of digits becomes one `#`.
fn fold_digits(name: &str) -> String {
    let mut folded = String::with_capacity(name.len());
    let mut in_digits = false;
    for character in name.chars() {
        if character.is_ascii_digit() {
            if !in_digits {
                folded.push('#');
            }
            in_digits = true;
        } else {
            folded.push(character);
            in_digits = false;
        }
    }
    folded
}

/// The profile, as [`report`] took it: a row per thread-name pattern, a row
/// per thing waited on, and the timeline. `Display` prints both tables.
#[derive(Debug, Clone)]
pub struct Report {
    threads: Vec<ThreadRow>,
    resources: Vec<ResourceRow>,
    profiles: Vec<Profiled>,
    taken: Instant,
}

/// One thread, kept for the timeline.
#[derive(Debug, Clone)]
struct Profiled {
    name: String,
    path: String,
    started: Instant,
    snapshot: Snapshot,
}

/// The threads whose names fold to one pattern, summed.
///
/// ```
/// more_threads::profile::enable();
/// for row in more_threads::profile::report().threads() {
///     println!("{}: {} threads, {:?} wall", row.pattern(), row.threads(), row.wall());
/// }
/// ```
#[derive(Debug, Clone)]
pub struct ThreadRow {
    pattern: String,
    threads: usize,
    wall: Duration,
    cpu: Option<Duration>,
    blocked: Duration,
    waits: u64,
}

/// One thing waited on (folded as thread names are), summed over every
/// thread that waited on it.
///
/// ```
/// more_threads::profile::enable();
/// for row in more_threads::profile::report().resources() {
///     println!("{}: {} waits, {:?}", row.what(), row.waits(), row.blocked());
/// }
/// ```
#[derive(Debug, Clone)]
pub struct ResourceRow {
    what: String,
    waits: u64,
    blocked: Duration,
    threads: Vec<String>,
}

impl Report {
    /// A row per thread-name pattern, longest wall time first.
    ///
    /// ```
    /// more_threads::profile::enable();
    /// let _rows = more_threads::profile::report().threads();
    /// ```
    pub fn threads(&self) -> &[ThreadRow] {
        &self.threads
    }

    /// A row per thing waited on, most time blocked first.
    ///
    /// ```
    /// more_threads::profile::enable();
    /// let _rows = more_threads::profile::report().resources();
    /// ```
    pub fn resources(&self) -> &[ResourceRow] {
        &self.resources
    }

    /// The timeline as Chrome trace-event JSON: a track per thread (named by
    /// its path, ordered by the tree), its lifetime as one slice, each
    /// wait as a slice inside it, named by what it waited on, and the moment
    /// it was asked to stop as an instant event saying why (`"because"`).
    ///
    /// ```
    /// more_threads::profile::enable();
    /// let json = more_threads::profile::report().trace_json();
    /// assert!(json.starts_with(r#"{"traceEvents":["#));
    /// ```
    pub fn trace_json(&self) -> String {
        let origin = self
            .profiles
            .iter()
            .map(|profiled| profiled.started)
            .min()
            .unwrap_or(self.taken);
        let micros = |at: Instant| at.saturating_duration_since(origin).as_secs_f64() * 1e6;
        // Ordered by path, so that each thread's track sits under its parent's.
        let mut order: Vec<usize> = (0..self.profiles.len()).collect();
        order.sort_by(|a, b| self.profiles[*a].path.cmp(&self.profiles[*b].path));
        let mut events: Vec<String> = Vec::new();
        let mut json = String::new();
        for (sort_index, &index) in order.iter().enumerate() {
            let profiled = &self.profiles[index];
            let track = index + 1;
            json.clear();
            json.push_str(r#"{"name":"thread_name","ph":"M","pid":1,"tid":"#);
            let _ = write!(json, r#"{track},"args":{{"name":"#);
            crate::logging::json_string(&profiled.path, &mut json);
            json.push_str("}}");
            events.push(json.clone());
            events.push(format!(
                r#"{{"name":"thread_sort_index","ph":"M","pid":1,"tid":{track},"args":{{"sort_index":{sort_index}}}}}"#
            ));
            let ended = profiled.snapshot.ended.unwrap_or(self.taken);
            json.clear();
            json.push_str(r#"{"name":"#);
            crate::logging::json_string(&profiled.name, &mut json);
            let _ = write!(
                json,
                r#","cat":"thread","ph":"X","pid":1,"tid":{track},"ts":{:.3},"dur":{:.3},"args":{{"path":"#,
                micros(profiled.started),
                micros(ended) - micros(profiled.started),
            );
            crate::logging::json_string(&profiled.path, &mut json);
            if let Some(cpu) = profiled.snapshot.cpu {
                let _ = write!(json, r#","cpu_ms":{:.3}"#, cpu.as_secs_f64() * 1e3);
            }
            if profiled.snapshot.left_out > 0 {
                let _ = write!(json, r#","waits_left_out":{}"#, profiled.snapshot.left_out);
            }
            json.push_str("}}");
            events.push(json.clone());
            for Interval { on, from, to } in &profiled.snapshot.timeline {
                json.clear();
                json.push_str(r#"{"name":"#);
                crate::logging::json_string(&format!("blocked on {on}"), &mut json);
                let _ = write!(
                    json,
                    r#","cat":"blocked","ph":"X","pid":1,"tid":{track},"ts":{:.3},"dur":{:.3}}}"#,
                    micros(*from),
                    micros(*to) - micros(*from),
                );
                events.push(json.clone());
            }
            if let Some((at, why)) = &profiled.snapshot.asked_to_stop {
                json.clear();
                let _ = write!(
                    json,
                    r#"{{"name":"asked to stop","cat":"stop","ph":"i","s":"t","pid":1,"tid":{track},"ts":{:.3},"args":{{"because":"#,
                    micros(*at),
                );
                crate::logging::json_string(why, &mut json);
                json.push_str("}}");
                events.push(json.clone());
            }
        }
        format!(
            "{{\"traceEvents\":[\n{}\n],\"displayTimeUnit\":\"ms\"}}\n",
            events.join(",\n")
        )
    }

    /// Writes [`trace_json`](Report::trace_json) to `path`.
    ///
    /// # Errors
    ///
    /// When the file cannot be written.
    ///
    /// ```
    /// more_threads::profile::enable();
    /// let path = std::env::temp_dir().join("more-threads-doc-trace.json");
    /// more_threads::profile::report().write_trace(&path)?;
    /// # std::fs::remove_file(&path)?;
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn write_trace(&self, path: impl AsRef<Path>) -> std::io::Result<()> {
        std::fs::write(path, self.trace_json())
    }
}

impl ThreadRow {
    /// The thread name, with each run of digits as `#`.
    ///
    /// ```
    /// # more_threads::profile::enable();
    /// # for row in more_threads::profile::report().threads() {
    /// let _pattern: &str = row.pattern();
    /// # }
    /// ```
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// How many threads fold into it.
    ///
    /// ```
    /// # more_threads::profile::enable();
    /// # for row in more_threads::profile::report().threads() {
    /// assert!(row.threads() >= 1);
    /// # }
    /// ```
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// Their wall time, summed.
    ///
    /// ```
    /// # more_threads::profile::enable();
    /// # for row in more_threads::profile::report().threads() {
    /// let _wall = row.wall();
    /// # }
    /// ```
    pub fn wall(&self) -> std::time::Duration {
        self.wall
    }

    /// Their CPU time, summed; `None` if the OS could not say for one of them.
    ///
    /// ```
    /// # more_threads::profile::enable();
    /// # for row in more_threads::profile::report().threads() {
    /// let _cpu = row.cpu();
    /// # }
    /// ```
    pub fn cpu(&self) -> Option<std::time::Duration> {
        self.cpu
    }

    /// Their time blocked on Signals, Locks, Queues and joins, summed.
    ///
    /// ```
    /// # more_threads::profile::enable();
    /// # for row in more_threads::profile::report().threads() {
    /// assert!(row.blocked() <= row.wall());
    /// # }
    /// ```
    pub fn blocked(&self) -> std::time::Duration {
        self.blocked
    }

    /// How many waits that was.
    ///
    /// ```
    /// # more_threads::profile::enable();
    /// # for row in more_threads::profile::report().threads() {
    /// let _waits = row.waits();
    /// # }
    /// ```
    pub fn waits(&self) -> u64 {
        self.waits
    }
}

impl ResourceRow {
    /// What was waited on: `Lock "totals"`, `Queue "files"`, `Signal "x"`,
    /// `joining main/walker`.
    ///
    /// ```
    /// # more_threads::profile::enable();
    /// # for row in more_threads::profile::report().resources() {
    /// let _what: &str = row.what();
    /// # }
    /// ```
    pub fn what(&self) -> &str {
        &self.what
    }

    /// How many waits on it.
    ///
    /// ```
    /// # more_threads::profile::enable();
    /// # for row in more_threads::profile::report().resources() {
    /// assert!(row.waits() >= 1);
    /// # }
    /// ```
    pub fn waits(&self) -> u64 {
        self.waits
    }

    /// The time they took, summed.
    ///
    /// ```
    /// # more_threads::profile::enable();
    /// # for row in more_threads::profile::report().resources() {
    /// let _blocked = row.blocked();
    /// # }
    /// ```
    pub fn blocked(&self) -> std::time::Duration {
        self.blocked
    }

    /// The thread-name patterns that waited on it.
    ///
    /// ```
    /// # more_threads::profile::enable();
    /// # for row in more_threads::profile::report().resources() {
    /// assert!(!row.threads().is_empty());
    /// # }
    /// ```
    pub fn threads(&self) -> &[String] {
        &self.threads
    }
}

/// How much of what was waited on the table shows (a combination of many
/// Signals is named after all of them); [`ResourceRow::what`] has it whole.
const WHAT_WIDTH: usize = 64;

/// `what`, cut to [`WHAT_WIDTH`] characters with `…` when longer.
fn clipped(what: &str) -> String {
    if what.chars().count() <= WHAT_WIDTH {
        return what.to_owned();
    }
    let mut clipped: String = what.chars().take(WHAT_WIDTH - 1).collect();
    clipped.push('…');
    clipped
}

/// `1.234s`, `56.7ms`, `890µs`.
struct Short(Duration);

impl fmt::Display for Short {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seconds = self.0.as_secs_f64();
        let text = if seconds >= 1.0 {
            format!("{seconds:.3}s")
        } else if seconds >= 1e-3 {
            format!("{:.1}ms", seconds * 1e3)
        } else {
            format!("{:.0}µs", seconds * 1e6)
        };
        f.pad(&text)
    }
}

impl fmt::Display for Report {
    /// Two tables: where each kind of thread spent its time, and what they
    /// waited on.
    ///
    /// ```text
    /// threads     n       wall        cpu    blocked   waits
    /// counter-#   4     2.012s     1.604s   401.2ms     812
    ///
    /// blocked on          waits      total   by
    /// Lock "totals"         790   392.0ms   counter-#
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let width = self
            .threads
            .iter()
            .map(|row| row.pattern.chars().count())
            .chain([7])
            .max()
            .unwrap_or(7);
        writeln!(
            f,
            "{:<width$} {:>5} {:>10} {:>10} {:>10} {:>8}",
            "threads", "n", "wall", "cpu", "blocked", "waits"
        )?;
        for row in &self.threads {
            let cpu = row
                .cpu
                .map_or_else(|| "?".to_owned(), |cpu| Short(cpu).to_string());
            writeln!(
                f,
                "{:<width$} {:>5} {:>10} {:>10} {:>10} {:>8}",
                row.pattern,
                row.threads,
                Short(row.wall).to_string(),
                cpu,
                Short(row.blocked).to_string(),
                row.waits
            )?;
        }
        if self.resources.is_empty() {
            return Ok(());
        }
        let width = self
            .resources
            .iter()
            .map(|row| row.what.chars().count().min(WHAT_WIDTH))
            .chain([10])
            .max()
            .unwrap_or(10);
        writeln!(f)?;
        writeln!(
            f,
            "{:<width$} {:>8} {:>10}   by",
            "blocked on", "waits", "total"
        )?;
        for row in &self.resources {
            writeln!(
                f,
                "{:<width$} {:>8} {:>10}   {}",
                clipped(&row.what),
                row.waits,
                Short(row.blocked).to_string(),
                row.threads.join(", ")
            )?;
        }
        Ok(())
    }
}

/// What main's shutdown writes, when asked: the table, the timeline.
#[derive(Debug, Clone, Default)]
pub(crate) struct AtExit {
    /// Where the table goes; `-` for stderr.
    pub(crate) table: Option<std::path::PathBuf>,
    pub(crate) trace: Option<std::path::PathBuf>,
}

impl AtExit {
    /// `MORE_THREADS_PROFILE=path` and `MORE_THREADS_TRACE=path`.
    pub(crate) fn from_env() -> AtExit {
        AtExit {
            table: std::env::var_os("MORE_THREADS_PROFILE").map(Into::into),
            trace: std::env::var_os("MORE_THREADS_TRACE").map(Into::into),
        }
    }

    pub(crate) fn wanted(&self) -> bool {
        self.table.is_some() || self.trace.is_some()
    }

    /// Step 6 of main's shutdown: writes what was asked for.
    pub(crate) fn write(&self) {
        if !self.wanted() {
            return;
        }
        let report = report();
        if let Some(path) = &self.table {
            let written = if path.as_os_str() == "-" {
                std::io::Write::write_all(&mut std::io::stderr(), report.to_string().as_bytes())
            } else {
                std::fs::write(path, report.to_string())
            };
            if let Err(error) = written {
                report!(
                    Error,
                    "more_threads::profile",
                    "cannot write the profile to {}: {error}",
                    path.display()
                );
            }
        }
        if let Some(path) = &self.trace {
            if let Err(error) = report.write_trace(path) {
                report!(
                    Error,
                    "more_threads::profile",
                    "cannot write the timeline to {}: {error}",
                    path.display()
                );
            }
        }
    }
}
