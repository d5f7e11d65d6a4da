//! What the tree lends each thread it knows, for the layers below it, which
//! must not import the tree: the thread's name and path (for the key-values
//! of the records it logs), the slot where it records what it waits for
//! (for the dump: [`blocked`]), its [`Profile`](profile::Profile) when
//! profiling is on, the log context it inherited, and, once a console is
//! served, its last log lines ([`lines`]).
//!
//! The tree makes one [`Local`] per node and lends it to the node's thread
//! when the thread enters the tree ([`lend`]); the primitives read whatever
//! is lent, if anything ([`with_current`]). A thread the tree does not know
//! has nothing lent: it records nothing, and its records carry its OS name.

pub(crate) mod blocked;
pub(crate) mod lines;
pub(crate) mod profile;

use crate::sync::Arc;
use crate::sync::real::{AtomicU64, AtomicUsize, Mutex, OnceLock, Ordering};
use blocked::Blocked;
use lines::LastLines;
use profile::Profile;
use std::cell::RefCell;
use std::fmt;

/// One thread of the tree, as the layers below the tree see it.
pub(crate) struct Local {
    pub(crate) name: Arc<str>,
    pub(crate) path: Arc<str>,
    /// What it waits for now, read by the dump.
    pub(crate) blocked: Mutex<Blocked>,
    /// When the wait in `blocked` began, written under `blocked`'s lock,
    /// and only for a thread with a stuck budget, or once a console is
    /// served (the clock is read for nobody else): what the health check
    /// measures a budget against, and the console's `blocked_ms`.
    pub(crate) began: Mutex<Option<std::time::Instant>>,
    /// Its last log lines, kept once a console is served.
    pub(crate) lines: Mutex<LastLines>,
    /// The thread's stuck budget, in nanoseconds (0: none): a wait longer
    /// than this makes the process's health bad.
    stuck_after: AtomicU64,
    /// Where its time goes, once profiling is on.
    pub(crate) profile: OnceLock<Arc<Profile>>,
    /// The number ([`holder::me`](crate::holder::me)) of the OS
    /// thread it is lent to, or `NOBODY` before: a wait for this thread to
    /// end leads the deadlock check there.
    number: AtomicUsize,
}

impl Local {
    pub(crate) fn new(name: Arc<str>, path: Arc<str>) -> Arc<Local> {
        let local = Arc::new(Local {
            name,
            path,
            blocked: Mutex::new(Blocked::Running),
            began: Mutex::new(None),
            lines: Mutex::new(LastLines::default()),
            stuck_after: AtomicU64::new(0),
            profile: OnceLock::new(),
            number: AtomicUsize::new(crate::holder::NOBODY),
        });
        if profile::enabled() {
            local.start_profile();
        }
        local
    }

    /// The number of the OS thread this is lent to, `NOBODY` before.
    pub(crate) fn number(&self) -> usize {
        self.number.load(Ordering::Relaxed)
    }

    /// The thread's stuck budget, if it declared one.
    pub(crate) fn stuck_after(&self) -> Option<std::time::Duration> {
        match self.stuck_after.load(Ordering::Relaxed) {
            0 => None,
            nanos => Some(std::time::Duration::from_nanos(nanos)),
        }
    }

    /// Declares (or, with `None`, withdraws) the thread's stuck budget: a
    /// zero budget is the smallest one, a nanosecond.
    pub(crate) fn set_stuck_after(&self, budget: Option<std::time::Duration>) {
        let nanos = budget.map_or(0, |budget| {
            u64::try_from(budget.as_nanos()).unwrap_or(u64::MAX).max(1)
        });
        self.stuck_after.store(nanos, Ordering::Relaxed);
    }

    /// Gives the thread a profile, if it has none yet.
    pub(crate) fn start_profile(&self) -> Option<&Arc<Profile>> {
        if self.profile.get().is_none() {
            if let Some(profile) = Profile::start(&self.name, &self.path) {
                let _ = self.profile.set(profile);
            }
        }
        self.profile.get()
    }
}

/// Keeps `level message` as the calling thread's newest log line, for the
/// console, if a console is served and the tree knows the thread: the
/// logger calls it for each record it lets through (otherwise it costs
/// that record one relaxed load).
pub(crate) fn keep_log_line(level: &dyn fmt::Display, message: &fmt::Arguments<'_>) {
    if !crate::observed::watched() {
        return;
    }
    with_current(|local| {
        let Some(local) = local else { return };
        // Written with no lock held: the message's `Display` may log too.
        let mut line = local.lines.lock().spare();
        lines::write(&mut line, level, message);
        local.lines.lock().push(line);
    });
}

thread_local! {
    /// What the tree lent the thread this runs on, if anything.
    static LENT: RefCell<Option<Arc<Local>>> = const { RefCell::new(None) };
}

/// Lends `local` to the calling thread; returns what it replaces.
pub(crate) fn lend(local: Option<Arc<Local>>) -> Option<Arc<Local>> {
    // The dump names a Lock's holder by the path it has now. A thread that
    // leaves the tree keeps the last (as a holder that has ended does).
    if let Some(local) = &local {
        local.number.store(crate::holder::me(), Ordering::Relaxed);
        crate::holder::known_as(&local.path);
    }
    LENT.try_with(|lent| std::mem::replace(&mut *lent.borrow_mut(), local))
        .ok()
        .flatten()
}

/// Runs `f` with what the calling thread was lent, if anything (also
/// `None` while the thread's locals are being destroyed).
pub(crate) fn with_current<R>(f: impl FnOnce(Option<&Local>) -> R) -> R {
    let mut f = Some(f);
    let outcome = LENT.try_with(|lent| match lent.try_borrow() {
        Ok(lent) => f.take().map(|f| f(lent.as_deref())),
        // Re-entered while lending (a record logged from inside `lend`):
        // as if nothing were lent.
        Err(_) => None,
    });
    match (outcome, f) {
        (Ok(Some(result)), _) => result,
        (_, Some(f)) => f(None),
        (_, None) => unreachable!("`f` is either taken and run, or still here"),
    }
}

/// What the calling thread was lent, if anything, shared: for a caller
/// that runs code of others meanwhile, which must not find the
/// thread-local borrowed.
pub(crate) fn current() -> Option<Arc<Local>> {
    LENT.try_with(|lent| lent.try_borrow().ok().and_then(|lent| lent.clone()))
        .ok()
        .flatten()
}

/// The calling thread's path, as the tree knows it, or its OS name
/// (`unnamed` without one).
pub(crate) fn current_path() -> Arc<str> {
    with_current(|local| match local {
        Some(local) => local.path.clone(),
        None => with_identity(|_, path| path.into()),
    })
}

/// The calling thread's name and path for the records it logs: as the tree
/// knows them, or its OS name (`unnamed` without one) for both.
pub(crate) fn with_identity<R>(f: impl FnOnce(&str, &str) -> R) -> R {
    with_current(|local| match local {
        Some(local) => f(&local.name, &local.path),
        None => {
            let os_thread = crate::sync::real::thread::current();
            let name = os_thread.name().unwrap_or("unnamed");
            f(name, name)
        }
    })
}

/// Key-values a thread's records carry, in order. What [`context`] returns
/// holds each key once; what a guard added may repeat one (a later pair
/// shadows an earlier one of the same key).
pub(crate) type Pairs = Arc<[(Arc<str>, Arc<str>)]>;

/// The context of the thread this runs on: what it inherited from the
/// thread that started it, then what it added, each addition under the id
/// of the guard that removes it (guards may be dropped in any order).
#[derive(Default)]
struct Context {
    inherited: Option<Pairs>,
    added: Vec<(u64, Pairs)>,
    next_id: u64,
    /// The whole context as [`context`] returns it, made when first asked
    /// for after a change: a record or a spawn then costs one reference
    /// count, not a walk. `None` when it must be made again.
    whole: Option<Option<Pairs>>,
}

impl Context {
    /// Inherited, then added, each key once: at its first place, with its
    /// latest value. `None` when empty.
    fn merge(&self) -> Option<Pairs> {
        if self.added.is_empty() {
            // Already merged, by the thread that handed it down.
            return self.inherited.clone();
        }
        let inherited = self.inherited.iter().flat_map(|pairs| pairs.iter());
        let added = self.added.iter().flat_map(|(_, pairs)| pairs.iter());
        let mut merged: Vec<(Arc<str>, Arc<str>)> = Vec::new();
        for (key, value) in inherited.chain(added) {
            match merged.iter_mut().find(|(earlier, _)| earlier == key) {
                Some(earlier) => earlier.1 = value.clone(),
                None => merged.push((key.clone(), value.clone())),
            }
        }
        (!merged.is_empty()).then(|| merged.into())
    }
}

thread_local! {
    static CONTEXT: RefCell<Context> = RefCell::new(Context::default());
}

/// Adds `pairs` to the calling thread's context; the id removes them.
pub(crate) fn add_context(pairs: Pairs) -> u64 {
    CONTEXT.with(|context| {
        let mut context = context.borrow_mut();
        let id = context.next_id;
        context.next_id += 1;
        context.added.push((id, pairs));
        context.whole = None;
        id
    })
}

/// Removes what [`add_context`] added under `id`.
pub(crate) fn remove_context(id: u64) {
    let _ = CONTEXT.try_with(|context| {
        let removed = {
            let mut context = context.borrow_mut();
            let index = context.added.iter().position(|(added, _)| *added == id);
            let whole = context.whole.take();
            (index.map(|index| context.added.remove(index)), whole)
        };
        // Dropped outside the borrow: the pairs' drop cannot re-enter it.
        drop(removed);
    });
}

/// The calling thread's whole context (inherited, then added), each key
/// once, at its first place with its latest value; `None` when empty, and
/// while its locals are destroyed. What a thread it starts inherits, and
/// what its records carry.
pub(crate) fn context() -> Option<Pairs> {
    CONTEXT
        .try_with(|context| {
            // Borrowed only here, never while other code runs: a logger
            // that adds a context of its own cannot find it borrowed.
            let mut context = context.try_borrow_mut().ok()?;
            if context.whole.is_none() {
                let whole = context.merge();
                context.whole = Some(whole);
            }
            context.whole.clone().flatten()
        })
        .ok()
        .flatten()
}

/// Makes `inherited` (a [`context`] of the thread that started it) the base
/// of the calling thread's context: done once, by a new thread, before its
/// worker runs.
pub(crate) fn inherit_context(inherited: Option<Pairs>) {
    let _ = CONTEXT.try_with(|context| {
        let mut context = context.borrow_mut();
        context.inherited = inherited;
        context.whole = None;
    });
}
