//! What a thread is waiting for, kept for the thread dump and the profile.
//!
//! The slot is part of what the tree lends each thread
//! ([`Local`](super::Local)), and the waits are recorded by primitives that
//! stand above it: the Signal, the Lock, the queues, and the tree's joins.
//! So [`Blocked`] is vocabulary that names no primitive: a Lock by its name
//! and who held it ([`HeldBy`], from the thread numbers below), a Queue by
//! its name and the end it waits at ([`QueueSide`]), and a Signal as the
//! Signal tells itself ([`WaitedOn`], which it implements; recording it is
//! a reference count, as a Signal's clone was).
//! The order, each importing only what precedes it: the `sync` shim,
//! `holder` (thread numbers), `observed` (whether a console is served, which
//! makes a wait note its start), this slot in `local`, then the deadlock
//! check, the Signal and the Lock.
//!
//! The primitives record on their slow path only, as a cheap clone (a
//! reference count, never an allocation), into the [`Local`](super::Local)
//! the tree lent the calling thread, if any; the guard puts the thread back
//! to "running".

use crate::holder::HeldBy;
use crate::sync::Arc;
use std::fmt;
use std::time::Instant;

pub(crate) enum Blocked {
    Running,
    /// A Signal, as it tells itself.
    Signal(Arc<dyn WaitedOn>),
    /// A Lock, by name, and who held it when the wait began.
    Lock(Option<Arc<str>>, HeldBy),
    /// A Queue, by its name (the queue's own `Arc`, which tells two queues
    /// of one name apart for the console), and which end it waits at.
    Queue(Arc<str>, QueueSide),
    /// A wait on something of a tier above, as its waiter says it.
    Elsewhere(Elsewhere),
    Finished,
}

/// Which end of a Queue a thread waits at: the console counts a queue's
/// blocked adders and poppers from the slots, so that its pushes and pops
/// count nothing. The dump does not show it (`blocked on Queue "jobs"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum QueueSide {
    /// Waiting for room (a full bounded queue).
    Add,
    /// Waiting for an item.
    Pop,
    /// Waiting for it to empty (`wait_empty`, a flush of the log).
    Drain,
}

/// What a Signal says of itself, for a wait on it: the Signal stands above
/// this module (it records its waits here), so the slot holds it as this.
pub(crate) trait WaitedOn: Send + Sync {
    /// Writes what it is: as its `Display` does, or, `stable`, the same
    /// whenever it is asked (a Till is `till` rather than when it goes), for
    /// the profile, which files every wait on the same thing together.
    fn describe(&self, f: &mut fmt::Formatter<'_>, stable: bool) -> fmt::Result;
}

/// A [`WaitedOn`] written out, `stable` or not.
struct Told<'a>(&'a dyn WaitedOn, bool);

impl fmt::Display for Told<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.describe(f, self.1)
    }
}

/// `Lock "name"`, or `an unnamed Lock`: how the dump, the profile and the
/// deadlock check's messages name a Lock.
pub(crate) fn describe_lock(name: Option<&str>) -> String {
    match name {
        Some(name) => format!("Lock {name:?}"),
        None => "an unnamed Lock".to_owned(),
    }
}

/// A wait on something the primitives know nothing of (a thread's end, a
/// child process), told by the tier that waits: what the dump shows,
/// `doing what` (`joining "main/crawler"`, `reading stdout of pid 7`), and
/// what the profile files it under.
pub(crate) struct Elsewhere {
    /// `joining`, `reading`...
    pub(crate) doing: &'static str,
    /// What it waits for: a path, a process...; a reference count, not an
    /// allocation, at each wait.
    pub(crate) what: Arc<str>,
    /// Shown in quotes, as a path is.
    pub(crate) quoted: bool,
    /// What the profile files the wait under: `None` for `doing what`, or
    /// one name for many (`a child process`).
    pub(crate) filed_as: Option<&'static str>,
}

/// Puts the current thread back to `Running` when dropped, and, when the
/// thread is profiled, adds the wait to its profile.
pub(crate) struct BlockedGuard {
    recorded: bool,
    /// What it waited for and since when, if profiled.
    profiled: Option<(String, Instant)>,
}

impl Blocked {
    /// Records `self` as what the current thread waits for, until the guard
    /// drops; nothing on a thread the tree lent no slot, nor inside a wait
    /// already recorded (a join waits on a Signal: the join is what it
    /// waits for, and its time is counted once).
    pub(crate) fn enter(self) -> BlockedGuard {
        self.enter_since(None)
    }

    /// [`enter`](Blocked::enter), for a wait that began at `since` (from
    /// [`began_now`]) and only now goes to sleep: its profile counts the
    /// spin and the yields before the sleep too, which on a loaded machine
    /// can hand the core away for tens of milliseconds.
    pub(crate) fn enter_since(self, since: Option<Instant>) -> BlockedGuard {
        const NOTHING: BlockedGuard = BlockedGuard {
            recorded: false,
            profiled: None,
        };
        super::with_current(|local| {
            let Some(local) = local else {
                return NOTHING;
            };
            let mut slot = local.blocked.lock();
            if !matches!(*slot, Blocked::Running | Blocked::Finished) {
                return NOTHING;
            }
            let profiled = local
                .profile
                .get()
                .map(|_| (self.what(), since.unwrap_or_else(Instant::now)));
            // The start is noted for the health check's budget, and for
            // the console's `blocked_ms` once one is served (one relaxed
            // load, on this path only: the thread is about to sleep).
            if local.stuck_after().is_some() || crate::observed::watched() {
                // Under the slot's lock, so that a reader holding it sees
                // the wait and its start together.
                let began = profiled
                    .as_ref()
                    .map(|(_, since)| *since)
                    .or(since)
                    .unwrap_or_else(Instant::now);
                *local.began.lock() = Some(began);
            }
            *slot = self;
            BlockedGuard {
                recorded: true,
                profiled,
            }
        })
    }

    /// The queue it waits on and at which end, if it waits on one.
    pub(crate) fn queue(&self) -> Option<(Arc<str>, QueueSide)> {
        match self {
            Blocked::Queue(name, side) => Some((name.clone(), *side)),
            _ => None,
        }
    }

    /// Whether it is a wait (not running, nor finished).
    pub(crate) fn is_wait(&self) -> bool {
        !matches!(self, Blocked::Running | Blocked::Finished)
    }

    /// What a profile files the wait under: the same for every wait on the
    /// same thing (a Till is `till`, whenever it goes).
    fn what(&self) -> String {
        match self {
            Blocked::Signal(signal) => format!("Signal {:?}", Told(&**signal, true).to_string()),
            Blocked::Lock(name, _) => describe_lock(name.as_deref()),
            Blocked::Queue(name, _) => format!("Queue {name:?}"),
            Blocked::Elsewhere(elsewhere) => match elsewhere.filed_as {
                Some(filed_as) => filed_as.to_owned(),
                None => format!("{} {}", elsewhere.doing, elsewhere.what),
            },
            Blocked::Running | Blocked::Finished => "nothing".to_owned(),
        }
    }
}

/// The moment a wait begins, for [`Blocked::enter_since`], when the current
/// thread is profiled or has a stuck budget: otherwise nothing reads it,
/// and the clock is not read.
pub(crate) fn began_now() -> Option<Instant> {
    super::with_current(|local| {
        local
            .filter(|local| local.profile.get().is_some() || local.stuck_after().is_some())
            .map(|_| Instant::now())
    })
}

/// A wait that failed instead of sleeping (it would have closed a
/// deadlock): the thread's profile, if it has one, files it under `what`
/// (`deadlock on Lock "x"`), as a wait of no length at this moment, so that
/// the timeline shows where the deadlock was refused.
pub(crate) fn failed_wait(what: impl FnOnce() -> String) {
    super::with_current(|local| {
        if let Some(profile) = local.and_then(|local| local.profile.get()) {
            profile.waited(&what(), Instant::now());
        }
    });
}

impl Drop for BlockedGuard {
    fn drop(&mut self) {
        if !self.recorded {
            return;
        }
        let profiled = self.profiled.take();
        super::with_current(|local| {
            if let Some(local) = local {
                let mut slot = local.blocked.lock();
                *slot = Blocked::Running;
                *local.began.lock() = None;
                drop(slot);
                if let (Some((what, since)), Some(profile)) = (profiled, local.profile.get()) {
                    profile.waited(&what, since);
                }
            }
        });
    }
}

impl fmt::Display for Blocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Blocked::Running => f.write_str("running"),
            Blocked::Signal(signal) => {
                write!(
                    f,
                    "blocked on Signal {:?}",
                    Told(&**signal, false).to_string()
                )
            }
            Blocked::Lock(Some(name), held_by) => write!(f, "blocked on Lock {name:?}{held_by}"),
            Blocked::Lock(None, held_by) => write!(f, "blocked on an unnamed Lock{held_by}"),
            Blocked::Queue(name, _) => write!(f, "blocked on Queue {name:?}"),
            Blocked::Elsewhere(Elsewhere {
                doing,
                what,
                quoted: true,
                ..
            }) => write!(f, "{doing} {what:?}"),
            Blocked::Elsewhere(Elsewhere { doing, what, .. }) => write!(f, "{doing} {what}"),
            Blocked::Finished => f.write_str("finished"),
        }
    }
}
