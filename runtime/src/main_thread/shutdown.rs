//! The orderly shutdown of the whole tree, in its fixed order.
//!
//! 1. main's `please_stop` goes;
//! 2. main's children are asked to stop, youngest first, each with its subtree;
//! 3. the threads the runtime started are joined;
//! 4. registered alien threads are waited for (their guards dropped);
//! 5. every pending `Till` goes, so nobody sleeps through the rest;
//! 6. the profile is written, if asked for (the table, the timeline);
//! 7. the central logger writes what is left and stops, last, so every
//!    thread's final lines are kept (another logger is flushed).
//!
//! Steps 3 and 4 share one deadline, counted from the moment main's
//! `please_stop` went (a SIGTERM, as systemd's `TimeoutStopSec` and
//! Kubernetes' grace period count), or else from the body's return; a
//! watch keeps it while the body still runs (a body blocked past it, on a
//! child that ignores please_stop, is reported with the rest). A
//! deadline too far to be an instant is none. A thread still alive past it is reported
//! by path and by what it is blocked on, and the shutdown says so: it cannot
//! be killed, but it must not be a mystery.

use crate::profile::AtExit;
use crate::signal::Signal;
use crate::signal::StopReason;
use crate::sync::Arc;
use crate::sync::real::Mutex;
use crate::thread::current::root;
use crate::thread::error::ThreadError;
use crate::thread::node::Kind;
use crate::till::Till;
use std::fmt;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Held by the signal watcher while it makes main's `please_stop` go and
/// runs its callbacks: the shutdown takes it first, so that the threads
/// those callbacks start are in the tree before it looks (main wakes from
/// that `go` while the callbacks still run).
pub(crate) static DELIVERING_STOP: Mutex<()> = Mutex::new(());

/// How long the logger may take past the deadline to write its last lines.
const LAST_WORDS: Duration = Duration::from_secs(1);

/// How the shutdown ended.
#[derive(Debug)]
pub(crate) struct Ended {
    /// Failures of main's children that nobody joined.
    pub(crate) failures: Vec<ThreadError>,
    /// Threads still alive at the deadline; empty if none.
    pub(crate) stuck: Vec<Stuck>,
}

/// A thread still alive at the deadline: who, and what it is blocked on.
#[derive(Debug)]
pub(crate) struct Stuck {
    pub(crate) name: Arc<str>,
    pub(crate) path: Arc<str>,
    pub(crate) state: String,
}

impl fmt::Display for Stuck {
    /// `main/stubborn (blocked on Lock "never-notified")`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.path, self.state)
    }
}

pub(crate) fn shutdown(deadline: Duration, asked_at: Option<Instant>, profile: &AtExit) -> Ended {
    let root = root();
    let give_up_at = asked_at.unwrap_or_else(Instant::now).checked_add(deadline);
    let give_up = match give_up_at {
        Some(at) => Till::at(at),
        None => Till::after(Duration::MAX), // never
    };
    match give_up_at {
        Some(at) => drop(DELIVERING_STOP.try_lock_until(at)),
        None => drop(DELIVERING_STOP.lock()),
    }
    // After a signal's stop, which keeps its reason.
    root.stop_because(StopReason::MainReturned);
    let mut stuck = Vec::new();
    for kind in [Kind::Spawned, Kind::Registered] {
        for child in root
            .children()
            .iter()
            .rev()
            .filter(|child| child.kind == kind)
        {
            if !child.stopped.wait_till(&give_up) {
                break;
            }
        }
    }
    if give_up.is_go() {
        stuck = still_alive();
    }
    let failures = if stuck.is_empty() {
        root.end_children()
    } else {
        Vec::new()
    };
    Till::go_all_pending();
    if let Some(main) = root.local.profile.get() {
        main.ended();
    }
    profile.write();
    // The logger gets what is left of the deadline, and a moment more: its
    // writer may be slowed down by the very threads that were stuck.
    let last_words = give_up_at
        .map_or(Instant::now(), |at| at.max(Instant::now()))
        .checked_add(LAST_WORDS)
        .unwrap_or_else(Instant::now);
    let unwritten = crate::logging::shut_down(last_words);
    if unwritten > 0 {
        eprintln!("more-threads: {unwritten} log records could not be written in time");
    }
    let lost = crate::logging::lost();
    if lost > 0 {
        eprintln!(
            "more-threads: {lost} log records were lost: the log writer failed or panicked while writing them"
        );
    }
    log::logger().flush();
    Ended { failures, stuck }
}

/// Who says how the process ends, once: the shutdown that finished, or the
/// watch that found the deadline passed while main's body still ran (both
/// may get there at the deadline).
#[derive(Debug, Clone)]
pub(crate) struct Verdict(Arc<AtomicBool>);

impl Verdict {
    pub(crate) fn new() -> Verdict {
        Verdict(Arc::new(AtomicBool::new(false)))
    }

    /// Whether this caller says it (the first one does).
    fn claim(&self) -> bool {
        !self.0.swap(true, Ordering::AcqRel)
    }

    /// The process ends cleanly, as the shutdown found: unless the watch
    /// said otherwise first, whose exit is under way (this thread waits
    /// for it).
    pub(crate) fn exit_clean(&self) {
        if !self.claim() {
            loop {
                std::thread::park();
            }
        }
    }

    /// Says which threads are still alive at the deadline, each by path
    /// and by what it is blocked on (a record each, and the whole report on
    /// stderr, the process's last word), and exits with
    /// [`EXIT_STUCK`](super::EXIT_STUCK): they cannot be joined.
    pub(crate) fn exit_stuck(&self, deadline: Duration, stuck: &[Stuck]) -> ! {
        if !self.claim() {
            loop {
                std::thread::park();
            }
        }
        for stuck in stuck {
            report!(
                Error,
                "more_threads::thread",
                about: (stuck.name, stuck.path),
                "still alive {:?} after the shutdown began, {}: it ignores please_stop",
                deadline,
                stuck.state
            );
        }
        // The logger (if the shutdown did not stop it already) writes every
        // line before the report, this one's records included.
        let _ = crate::logging::shut_down(Instant::now() + LAST_WORDS);
        let mut stderr = std::io::stderr().lock();
        let _ = writeln!(
            stderr,
            "more-threads: {} thread(s) still alive {:?} after the shutdown began; they ignore please_stop:",
            stuck.len(),
            deadline
        );
        for stuck in stuck {
            let _ = writeln!(stderr, "  {stuck}");
        }
        // A cycle among them is why they are stuck: say it.
        for cycle in crate::deadlock::graph().cycles() {
            let _ = writeln!(stderr, "  {cycle}");
        }
        let _ = stderr.flush();
        std::process::exit(super::EXIT_STUCK.into());
    }
}

/// Keeps the shutdown deadline while main's body runs: the shutdown begins
/// only once the body returns, and a body blocked in a scope, a join, on a
/// Lock or a Queue, on a child that ignores please_stop, would escape it.
#[derive(Debug)]
pub(crate) struct DeadlineWatch {
    pub(crate) deadline: Duration,
    pub(crate) body_returned: Signal,
    pub(crate) verdict: Verdict,
    pub(crate) profile: AtExit,
}

impl DeadlineWatch {
    /// Starts the watch, main's `please_stop` having gone `at`: if the body
    /// has not returned by the deadline, every live thread (main first) is
    /// reported and the process exits, as the shutdown would.
    pub(crate) fn start(self, at: Instant) {
        let Some(give_up_at) = at.checked_add(self.deadline) else {
            return; // no deadline: the shutdown waits as long as it takes
        };
        if self.body_returned.is_go() {
            return; // the shutdown keeps the deadline itself
        }
        let started = std::thread::Builder::new()
            .name("shutdown-deadline".to_owned())
            .spawn(move || {
                if self.body_returned.wait_till(&Till::at(give_up_at)) {
                    return;
                }
                let root = root();
                let mut stuck = vec![Stuck {
                    name: root.name.clone(),
                    path: root.path.clone(),
                    state: root.local.blocked.lock().to_string(),
                }];
                stuck.extend(still_alive());
                self.profile.write();
                self.verdict.exit_stuck(self.deadline, &stuck);
            });
        if let Err(error) = started {
            report!(
                Error,
                "more_threads::thread",
                "cannot watch the shutdown deadline ({error}): a body blocked past it is not reported"
            );
        }
    }
}

/// Every thread still alive, by path: what it is blocked on.
pub(crate) fn still_alive() -> Vec<Stuck> {
    let mut stuck = Vec::new();
    let mut pending = root().children();
    while let Some(node) = pending.pop() {
        if !node.stopped.is_go() && node.kind != Kind::Unregistered {
            stuck.push(Stuck {
                name: node.name.clone(),
                path: node.path.clone(),
                state: node.local.blocked.lock().to_string(),
            });
        }
        pending.extend(node.children());
    }
    stuck.sort_by(|a, b| a.path.cmp(&b.path));
    stuck
}
