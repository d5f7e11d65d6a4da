//! The live thread tree, on demand: who is running, for how long, and what
//! each thread is waiting for.
//!
//! When a program hangs, the first question is "which thread waits for
//! what". [`dump()`] answers it from the runtime's own bookkeeping (no
//! debugger, no signal-unsafe tricks): each thread's path, age and state.
//!
//! ```
//! use more_threads::{Thread, dump};
//!
//! let sleeper = Thread::run("sleeper", |please_stop| please_stop.wait())?;
//! while !dump().to_string().contains("blocked on Signal") {
//!     std::thread::yield_now();
//! }
//! let picture = dump().to_string();
//! assert!(picture.starts_with("main"));
//! assert!(picture.contains("sleeper"));
//! sleeper.stop();
//! sleeper.join()?;
//! # Ok::<(), more_threads::ThreadError>(())
//! ```

use super::current::root;
use super::node::Node;
use crate::deadlock::Cycle;
use crate::local::Local;
use crate::local::blocked::QueueSide;
use crate::observed::watched;
use crate::signal::StopReason;
use crate::sync::Arc;
use std::fmt;
use std::time::{Duration, Instant};

/// A snapshot of the thread tree; `Display` draws it with box-drawing
/// characters, one thread a line:
///
/// ```text
/// main (3.2s) blocked on Signal "please_stop of main"
/// ├── walker (3.1s) running
/// └── counter-0 (3.1s) blocked on Lock "work", held by main/walker
///     └── helper (0.4s) joining "main/counter-0/helper/sub"
/// ```
///
/// A thread in a deadlock that no wait of it could fail (see the Lock's
/// [deadlock check](crate::Lock#deadlocks)) says so on its line,
/// `…, in a deadlock`, and the cycle is drawn below the tree.
///
/// ```
/// let snapshot = more_threads::dump();
/// assert_eq!(snapshot.root().name(), "main");
/// ```
#[derive(Debug, Clone)]
pub struct Dump {
    root: Entry,
    /// Each cycle of waits, as the deadlock check tells it.
    deadlocks: Vec<String>,
}

/// One thread in a [`Dump`].
///
/// ```
/// let snapshot = more_threads::dump();
/// for thread in snapshot.threads() {
///     println!("{} ({:?}): {}", thread.path(), thread.age(), thread.state());
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Entry {
    name: Arc<str>,
    path: Arc<str>,
    age: Duration,
    state: String,
    restarts: u32,
    note: Option<Arc<str>>,
    in_deadlock: bool,
    stop_reason: Option<StopReason>,
    /// Its profile, if it has one: the CPU clock is read when asked
    /// ([`Entry::cpu`]), so that a dump that never asks reads no clock.
    profile: Option<CpuClock>,
    /// When the wait in `state` began, if its start was noted (a stuck
    /// budget, or a console served), read with the state.
    blocked_since: Option<Instant>,
    /// The queue it waits on, by its name's `Arc`, and at which end.
    queue: Option<(Arc<str>, QueueSide)>,
    /// Its last log lines, read when asked; only once a console is served
    /// (before, none are kept, and the dump holds nothing for them).
    lines: Option<LastLinesOf>,
    children: Vec<Entry>,
}

/// A thread's kept log lines, held by an [`Entry`] to read them from.
#[derive(Clone)]
struct LastLinesOf(Arc<Local>);

impl fmt::Debug for LastLinesOf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LastLinesOf")
    }
}

/// A thread's profile, kept by an [`Entry`] to read its CPU from.
#[derive(Clone)]
struct CpuClock(Arc<crate::local::profile::Profile>);

impl fmt::Debug for CpuClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CpuClock")
    }
}

/// Takes a snapshot of the live thread tree, from the root down.
///
/// ```
/// println!("{}", more_threads::dump());
/// ```
pub fn dump() -> Dump {
    let cycles = crate::deadlock::graph().cycles();
    Dump {
        root: Entry::of(root(), &cycles),
        deadlocks: cycles.iter().map(ToString::to_string).collect(),
    }
}

impl Dump {
    /// The root of the snapshot: the main thread.
    ///
    /// ```
    /// assert_eq!(more_threads::dump().root().path(), "main");
    /// ```
    pub fn root(&self) -> &Entry {
        &self.root
    }

    /// Every thread in the snapshot, parents before children.
    ///
    /// ```
    /// let count = more_threads::dump().threads().count();
    /// assert!(count >= 1);
    /// ```
    pub fn threads(&self) -> impl Iterator<Item = &Entry> {
        let mut stack = vec![&self.root];
        std::iter::from_fn(move || {
            let entry = stack.pop()?;
            stack.extend(entry.children.iter().rev());
            Some(entry)
        })
    }

    /// Each cycle of waits among the threads when the snapshot was taken:
    /// `deadlock: main/a waits for Lock "x" held by main/b, which …`.
    /// Empty unless a cycle could not be failed at once (see the Lock's
    /// [deadlock check](crate::Lock#deadlocks)).
    ///
    /// ```
    /// assert_eq!(more_threads::dump().deadlocks().count(), 0);
    /// ```
    pub fn deadlocks(&self) -> impl Iterator<Item = &str> {
        self.deadlocks.iter().map(String::as_str)
    }
}

impl Entry {
    fn of(node: &Arc<Node>, cycles: &[Cycle]) -> Entry {
        let number = node.local.number();
        let (state, blocked_since, queue) = {
            // The wait and its start together: both are written under the
            // slot's lock, and read here for the length of a copy.
            let slot = node.local.blocked.lock();
            let since = if slot.is_wait() {
                *node.local.began.lock()
            } else {
                None
            };
            (slot.to_string(), since, slot.queue())
        };
        Entry {
            name: node.name.clone(),
            path: node.path.clone(),
            age: node.started.elapsed(),
            state,
            blocked_since,
            queue,
            lines: watched().then(|| LastLinesOf(node.local.clone())),
            restarts: node.restarts(),
            note: node.note(),
            in_deadlock: cycles.iter().any(|cycle| cycle.involves(number)),
            stop_reason: node.please_stop.reason().filter(|_| !node.stopped.is_go()),
            profile: node.local.profile.get().cloned().map(CpuClock),
            children: node
                .children()
                .iter()
                .map(|child| Entry::of(child, cycles))
                .collect(),
        }
    }

    /// The thread's name.
    ///
    /// ```
    /// assert_eq!(more_threads::dump().root().name(), "main");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The thread's path from the root.
    ///
    /// ```
    /// assert_eq!(more_threads::dump().root().path(), "main");
    /// ```
    pub fn path(&self) -> &str {
        &self.path
    }

    /// How long the thread had lived when the snapshot was taken.
    ///
    /// ```
    /// let _age = more_threads::dump().root().age();
    /// ```
    pub fn age(&self) -> Duration {
        self.age
    }

    /// `running`, `blocked on Signal "x"`, `blocked on Lock "y", held by
    /// main/w` (the holder when the wait began; `, which has ended` when it
    /// has, a guard forgotten), `joining "main/z"` or `finished`.
    ///
    /// ```
    /// assert!(!more_threads::dump().root().state().is_empty());
    /// ```
    pub fn state(&self) -> &str {
        &self.state
    }

    /// How many times its [restart policy](crate::thread::Restart) started it
    /// again; the dump's line says `restarted N×` when it did.
    ///
    /// ```
    /// assert_eq!(more_threads::dump().root().restarts(), 0);
    /// ```
    pub fn restarts(&self) -> u32 {
        self.restarts
    }

    /// What a service running on the thread says of itself, if it says
    /// anything: a [supervisor](crate::supervisor)'s strategy and how many
    /// restarts it made (`one_for_all supervisor, 2 restarts`). The dump's
    /// line shows it after the state.
    ///
    /// ```
    /// use more_threads::{dump, supervisor::{Child, Strategy, Supervisor}};
    ///
    /// let sup = Supervisor::new("sup")
    ///     .strategy(Strategy::OneForAll)
    ///     .child(Child::new("idle", |please_stop| please_stop.wait()))
    ///     .spawn()?;
    /// let note = loop {
    ///     let snapshot = dump();
    ///     if let Some(note) = snapshot.threads().find(|e| e.name() == "sup").and_then(|e| e.note()) {
    ///         break note.to_owned();
    ///     }
    /// };
    /// assert_eq!(note, "one_for_all supervisor, 0 restarts");
    /// sup.stop();
    /// sup.join()?;
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// The thread's children in the snapshot, oldest first.
    ///
    /// ```
    /// let _children = more_threads::dump().root().children();
    /// ```
    pub fn children(&self) -> &[Entry] {
        &self.children
    }

    fn draw(&self, f: &mut fmt::Formatter<'_>, indent: &str) -> fmt::Result {
        for (index, child) in self.children.iter().enumerate() {
            let last = index + 1 == self.children.len();
            let (branch, more) = if last {
                ("└── ", "    ")
            } else {
                ("├── ", "│   ")
            };
            writeln!(f, "{indent}{branch}{}", child.line())?;
            child.draw(f, &format!("{indent}{more}"))?;
        }
        Ok(())
    }

    /// Why the thread was asked to stop, if it was and has not ended yet:
    /// its line says `, stopping because …`.
    ///
    /// ```
    /// use more_threads::{Signal, Thread, dump, signal::StopReason};
    ///
    /// let release = Signal::new();
    /// let stubborn = {
    ///     let release = release.clone();
    ///     Thread::run("stubborn", move |_please_stop| release.wait())?
    /// };
    /// stubborn.please_stop().go_because(StopReason::other("a test"));
    /// let snapshot = dump();
    /// let entry = snapshot.threads().find(|entry| entry.name() == "stubborn").unwrap();
    /// assert_eq!(entry.stop_reason(), Some(&StopReason::other("a test")));
    /// assert!(snapshot.to_string().contains("stubborn"));
    /// assert!(snapshot.to_string().contains(", stopping because a test"));
    /// release.go();
    /// stubborn.join()?;
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn stop_reason(&self) -> Option<&StopReason> {
        self.stop_reason.as_ref()
    }

    /// The CPU time the thread has used, read now (not when the snapshot
    /// was taken), when it is [profiled](crate::profile) and the OS tells
    /// (Linux); `None` otherwise.
    ///
    /// ```
    /// use more_threads::{Signal, Thread, dump, profile};
    ///
    /// profile::enable();
    /// let started = Signal::new();
    /// let spinner = {
    ///     let started = started.clone();
    ///     Thread::run("spinner", move |please_stop| {
    ///         started.go();
    ///         while !please_stop.is_go() {}
    ///     })?
    /// };
    /// started.wait();
    /// let snapshot = dump();
    /// let entry = snapshot.threads().find(|e| e.name() == "spinner").unwrap();
    /// if cfg!(target_os = "linux") {
    ///     assert!(entry.cpu().is_some(), "a profiled thread's CPU is read on Linux");
    /// }
    /// spinner.stop();
    /// spinner.join()?;
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn cpu(&self) -> Option<Duration> {
        self.profile.as_ref().and_then(|clock| clock.0.cpu())
    }

    /// When the wait its [`state`](Entry::state) names began, when the
    /// start was noted: for a thread with a stuck budget, or for any once
    /// a console is served.
    pub(crate) fn blocked_since(&self) -> Option<Instant> {
        self.blocked_since
    }

    /// The queue it waits on (its name's `Arc`, which tells queues of one
    /// name apart) and at which end, if it waits on one.
    pub(crate) fn queue(&self) -> Option<&(Arc<str>, QueueSide)> {
        self.queue.as_ref()
    }

    /// Calls `each` with each of its last log lines, oldest first, read
    /// now: none unless a console is served.
    pub(crate) fn last_lines(&self, mut each: impl FnMut(&str)) {
        if let Some(LastLinesOf(local)) = &self.lines {
            local.lines.lock().iter().for_each(&mut each);
        }
    }

    /// Whether the thread was in a cycle of waits (see
    /// [`Dump::deadlocks`]).
    ///
    /// ```
    /// assert!(!more_threads::dump().root().in_deadlock());
    /// ```
    pub fn in_deadlock(&self) -> bool {
        self.in_deadlock
    }

    fn line(&self) -> String {
        let mut line = format!("{} ({:.1?}) {}", self.name, Seconds(self.age), self.state);
        if let Some(note) = &self.note {
            line.push_str(&format!(", {note}"));
        }
        if self.restarts > 0 {
            line.push_str(&format!(", restarted {}×", self.restarts));
        }
        if self.in_deadlock {
            line.push_str(", in a deadlock");
        }
        if let Some(reason) = &self.stop_reason {
            line.push_str(&format!(", stopping because {reason}"));
        }
        line
    }
}

/// `3.2s`, `150ms`: an age, at a glance.
struct Seconds(Duration);

impl fmt::Debug for Seconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seconds = self.0.as_secs_f64();
        if seconds >= 1.0 {
            write!(f, "{seconds:.1}s")
        } else {
            write!(f, "{}ms", self.0.as_millis())
        }
    }
}

impl fmt::Display for Dump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.root.line())?;
        self.root.draw(f, "")?;
        for cycle in &self.deadlocks {
            writeln!(f, "{cycle}")?;
        }
        Ok(())
    }
}
