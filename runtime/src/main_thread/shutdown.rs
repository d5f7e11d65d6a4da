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
//! Kubernetes' grace period count), or else from the body's return. A
//! deadline too far to be an instant is none. A thread still alive past it is reported
//! by path and by what it is blocked on, and the shutdown says so: it cannot
//! be killed, but it must not be a mystery.

use crate::profile::AtExit;
use crate::sync::Arc;
use crate::sync::real::Mutex;
use crate::thread::current::root;
use crate::thread::error::ThreadError;
use crate::thread::node::Kind;
use crate::till::Till;
use std::fmt;
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
    root.stop();
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
    let unwritten = crate::log::shut_down(last_words);
    if unwritten > 0 {
        eprintln!("more-threads: {unwritten} log records could not be written in time");
    }
    let lost = crate::log::lost();
    if lost > 0 {
        eprintln!(
            "more-threads: {lost} log records were lost: the log writer failed or panicked while writing them"
        );
    }
    log::logger().flush();
    Ended { failures, stuck }
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
