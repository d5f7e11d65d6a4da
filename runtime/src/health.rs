//! Is this process well? A verdict and its reasons, from the thread tree, for
//! a liveness probe or a service manager's watchdog.
//!
//! A process can be alive and still useless: two threads in a deadlock, a
//! worker blocked for an hour on a reply that never comes. [`health()`]
//! looks at the tree and says [`is_good`](Health::is_good), or why not,
//! naming each thread by path and what it is blocked on:
//!
//! * a **deadlock**: every thread in a cycle of the wait-for graph (the
//!   cycles a [`dump()`](crate::dump) draws; see the Lock's [deadlock
//!   check](crate::Lock#deadlocks));
//! * a **stuck** thread: one blocked (on a Signal, a Lock, a Queue, a join)
//!   for longer than the budget its code declared with [`budget`]: the
//!   budget is opt-in, as only the code knows how long a wait of its may
//!   take (a worker that idles on a Queue for minutes is well);
//! * a **check**, added with [`add_check`]: the hook for what the tree
//!   cannot see. The runtime adds two of its own: a
//!   [supervisor](crate::supervisor) past its restart intensity, while it
//!   stops its children to give up, and a [`Process`](crate::Process)
//!   silent past its timeout, while it is being ended; add yours (a
//!   connection pool that is empty).
//!
//! ```
//! use more_threads::{Signal, Thread, health};
//! use std::time::Duration;
//!
//! assert!(health().is_good(), "{}", health());
//! let never = Signal::named("a reply that never comes");
//! let waiter = {
//!     let never = never.clone();
//!     Thread::run("waiter", move |please_stop| {
//!         let _budget = more_threads::health::budget(Duration::from_millis(1));
//!         (never | please_stop).wait();
//!     })?
//! };
//! let verdict = loop {
//!     let verdict = health();
//!     if !verdict.is_good() {
//!         break verdict;
//!     }
//!     std::thread::yield_now();
//! };
//! let reason = &verdict.reasons()[0];
//! assert_eq!(reason.path(), "main/waiter");
//! assert!(reason.to_string().contains("blocked on Signal"), "{reason}");
//! waiter.stop();
//! waiter.join()?;
//! assert!(health().is_good(), "{}", health());
//! # Ok::<(), more_threads::ThreadError>(())
//! ```
//!
//! It costs about a [`dump()`](crate::dump) without the drawing: a walk of
//! the tree (a lock per thread, briefly) and of the wait-for graph, cheap
//! enough to call every second (runtime/benches/README.md has the figure).

use crate::local::Local;
use crate::sync::Arc;
use crate::sync::real::{AtomicU64, Mutex, Ordering};
use crate::thread::current::root;
use crate::thread::node::Node;
use std::fmt;
use std::time::{Duration, Instant};

/// What [`health()`] found: good, or each reason it is not.
///
/// `Display` is one line when good (`good: 3 threads`), else one line per
/// reason after `bad:`.
///
/// ```
/// let verdict = more_threads::health();
/// assert!(verdict.is_good());
/// assert!(verdict.to_string().starts_with("good: "), "{verdict}");
/// ```
#[derive(Debug, Clone)]
pub struct Health {
    threads: usize,
    reasons: Vec<Reason>,
}

/// One reason a [`Health`] is bad: a thread and what is wrong with it.
///
/// ```
/// for reason in more_threads::health().reasons() {
///     println!("{} is {:?}: {}", reason.path(), reason.kind(), reason.state());
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Reason {
    kind: ReasonKind,
    path: Arc<str>,
    state: String,
    blocked_for: Option<Duration>,
}

/// What kind of trouble a [`Reason`] is.
///
/// ```
/// use more_threads::health::ReasonKind;
///
/// assert_ne!(ReasonKind::Deadlock, ReasonKind::Stuck);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReasonKind {
    /// The thread is in a cycle of the wait-for graph.
    Deadlock,
    /// The thread has been blocked for longer than its [`budget`].
    Stuck,
    /// A check added with [`add_check`] said so.
    Check,
}

/// Looks at the thread tree now: a deadlock, a thread blocked past its
/// [`budget`], or a check of [`add_check`]'s that failed makes it bad.
///
/// ```
/// assert!(more_threads::health().is_good());
/// ```
pub fn health() -> Health {
    let cycles = crate::deadlock::graph().cycles();
    let now = Instant::now();
    let mut reasons = Vec::new();
    let mut threads = 0;
    let mut pending = vec![root().clone()];
    while let Some(node) = pending.pop() {
        if !node.stopped.is_go() {
            threads += 1;
            look_at(&node, &cycles, now, &mut reasons);
        }
        pending.extend(node.children());
    }
    let checks: Vec<_> = CHECKS.lock().iter().map(|check| check.1.clone()).collect();
    for (path, check) in checks {
        if let Some(state) = check() {
            reasons.push(Reason {
                kind: ReasonKind::Check,
                path,
                state,
                blocked_for: None,
            });
        }
    }
    reasons.sort_by(|a, b| a.path.cmp(&b.path));
    Health { threads, reasons }
}

/// Adds the node's reason, if it has one: a deadlock before a budget.
fn look_at(node: &Node, cycles: &[crate::deadlock::Cycle], now: Instant, into: &mut Vec<Reason>) {
    let local = &node.local;
    let in_deadlock = !cycles.is_empty() && {
        let number = local.number();
        cycles.iter().any(|cycle| cycle.involves(number))
    };
    let budget = local.stuck_after();
    if !in_deadlock && budget.is_none() {
        return;
    }
    let slot = local.blocked.lock();
    // A budgeted wait's start only: once a console is served every wait
    // notes its start, but a reason says how long only for a budget.
    let began = budget.and_then(|_| *local.began.lock());
    let blocked_for = began.map(|began| now.saturating_duration_since(began));
    let kind = if in_deadlock {
        ReasonKind::Deadlock
    } else {
        match (budget, blocked_for) {
            (Some(budget), Some(blocked_for)) if blocked_for > budget => ReasonKind::Stuck,
            _ => return,
        }
    };
    into.push(Reason {
        kind,
        path: node.path.clone(),
        state: slot.to_string(),
        blocked_for,
    });
}

impl Health {
    /// Whether nothing is wrong: no reason.
    ///
    /// ```
    /// assert!(more_threads::health().is_good());
    /// ```
    pub fn is_good(&self) -> bool {
        self.reasons.is_empty()
    }

    /// Each thing wrong, by thread path.
    ///
    /// ```
    /// assert!(more_threads::health().reasons().is_empty());
    /// ```
    pub fn reasons(&self) -> &[Reason] {
        &self.reasons
    }

    /// How many threads of the tree were alive (main among them).
    ///
    /// ```
    /// assert!(more_threads::health().threads() >= 1);
    /// ```
    pub fn threads(&self) -> usize {
        self.threads
    }
}

impl fmt::Display for Health {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let threads = self.threads;
        let s = if threads == 1 { "" } else { "s" };
        if self.reasons.is_empty() {
            return write!(f, "good: {threads} thread{s}");
        }
        write!(f, "bad: {threads} thread{s}")?;
        for reason in &self.reasons {
            write!(f, "\n{reason}")?;
        }
        Ok(())
    }
}

impl Reason {
    /// Which kind of trouble it is.
    ///
    /// ```
    /// assert!(more_threads::health().reasons().iter().all(|r| r.kind() != more_threads::health::ReasonKind::Deadlock));
    /// ```
    pub fn kind(&self) -> ReasonKind {
        self.kind
    }

    /// The thread's path (for a [`Check`](ReasonKind::Check), the thread that
    /// added the check).
    ///
    /// ```
    /// assert!(more_threads::health().reasons().iter().all(|r| r.path().starts_with("main")));
    /// ```
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What the thread is blocked on, as [`dump()`](crate::dump) says it
    /// (`blocked on Lock "x", held by main/b`), or what the check said.
    ///
    /// ```
    /// assert!(more_threads::health().reasons().iter().all(|r| !r.state().is_empty()));
    /// ```
    pub fn state(&self) -> &str {
        &self.state
    }

    /// For how long the thread has been blocked, when known: for a thread
    /// with a [`budget`] (the clock is read at a wait's start for no other).
    ///
    /// ```
    /// use more_threads::health::Reason;
    ///
    /// let verdict = more_threads::health();
    /// assert_eq!(verdict.reasons().iter().filter_map(Reason::blocked_for).count(), 0);
    /// ```
    pub fn blocked_for(&self) -> Option<Duration> {
        self.blocked_for
    }
}

impl fmt::Display for Reason {
    /// `main/waiter is stuck: blocked on Signal "x" for 2.0s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            ReasonKind::Deadlock => "is in a deadlock",
            ReasonKind::Stuck => "is stuck",
            ReasonKind::Check => "failed a check",
        };
        write!(f, "{} {what}: {}", self.path, self.state)?;
        if let Some(blocked_for) = self.blocked_for {
            write!(f, " for {:.1}s", blocked_for.as_secs_f64())?;
        }
        Ok(())
    }
}

/// Declares a stuck budget for the calling thread's waits, until the guard
/// drops: a wait (on a Signal, a Lock, a Queue, a join) that lasts longer
/// makes [`health()`] bad, naming the thread, and good again when it ends.
/// Held for a worker's whole body, it covers every wait of the thread; held
/// around one call, that call's. Dropping it brings back the budget before
/// it (none, by default).
///
/// It counts the waits that begin while it is held. On a thread the tree
/// does not know (not started by it, nor registered), it does nothing.
///
/// ```
/// use more_threads::{Thread, health};
/// use std::time::Duration;
///
/// let worker = Thread::run("worker", |please_stop| {
///     let _budget = health::budget(Duration::from_secs(30));
///     please_stop.wait(); // a wait of more than 30 s makes the health bad
/// })?;
/// assert!(more_threads::health().is_good());
/// worker.stop();
/// worker.join()?;
/// # Ok::<(), more_threads::ThreadError>(())
/// ```
pub fn budget(stuck_after: Duration) -> Budget {
    let local = crate::local::current();
    let before = local.as_ref().and_then(|local| {
        let before = local.stuck_after();
        local.set_stuck_after(Some(stuck_after));
        before
    });
    Budget { local, before }
}

/// The guard of a [`budget`]: brings back the budget before it when dropped.
///
/// ```
/// let budget = more_threads::health::budget(std::time::Duration::from_secs(5));
/// drop(budget);
/// ```
#[must_use = "the budget holds until the guard drops"]
pub struct Budget {
    local: Option<Arc<Local>>,
    before: Option<Duration>,
}

impl fmt::Debug for Budget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Budget")
            .field("before", &self.before)
            .finish_non_exhaustive()
    }
}

impl Drop for Budget {
    fn drop(&mut self) {
        if let Some(local) = &self.local {
            local.set_stuck_after(self.before);
        }
    }
}

/// A check added with [`add_check`]: its id, the path of the thread that
/// added it, and the check.
type Added = (
    u64,
    (Arc<str>, Arc<dyn Fn() -> Option<String> + Send + Sync>),
);

/// The checks added with [`add_check`].
static CHECKS: Mutex<Vec<Added>> = Mutex::new(Vec::new());
static NEXT_CHECK: AtomicU64 = AtomicU64::new(0);

/// Adds a check to every [`health()`] until the guard drops: `check`
/// returns `None` when well, or what is wrong, which becomes a
/// [`Check`](ReasonKind::Check) reason under the path of the thread that
/// added it.
///
/// The hook for what the tree cannot see: a supervisor that gave up after
/// too many restarts in its period says so here, a pool with no connection
/// left, a process silent past its timeout. `check` runs on the thread that
/// calls [`health()`], with no lock of the runtime held; it must be quick
/// and must not call [`health()`].
///
/// ```
/// use more_threads::health;
/// use std::sync::Arc;
/// use std::sync::atomic::{AtomicU32, Ordering};
///
/// let restarts = Arc::new(AtomicU32::new(0));
/// let check = {
///     let restarts = restarts.clone();
///     health::add_check(move || {
///         let n = restarts.load(Ordering::Relaxed);
///         (n > 3).then(|| format!("restarted {n} times in a minute, past its intensity"))
///     })
/// };
/// assert!(more_threads::health().is_good());
/// restarts.store(5, Ordering::Relaxed);
/// let verdict = more_threads::health();
/// assert!(verdict.to_string().contains("past its intensity"), "{verdict}");
/// drop(check);
/// assert!(more_threads::health().is_good());
/// ```
pub fn add_check(check: impl Fn() -> Option<String> + Send + Sync + 'static) -> Check {
    let id = NEXT_CHECK.fetch_add(1, Ordering::Relaxed);
    let path = crate::local::current_path();
    CHECKS.lock().push((id, (path, Arc::new(check))));
    Check { id }
}

/// The guard of a check added with [`add_check`]: removes it when dropped.
///
/// ```
/// let check = more_threads::health::add_check(|| None);
/// drop(check);
/// ```
#[derive(Debug)]
#[must_use = "the check is removed when the guard drops"]
pub struct Check {
    id: u64,
}

impl Drop for Check {
    fn drop(&mut self) {
        let removed = {
            let mut checks = CHECKS.lock();
            let index = checks.iter().position(|(id, _)| *id == self.id);
            index.map(|index| checks.remove(index))
        };
        drop(removed); // outside the lock: the check's drop may add another
    }
}
