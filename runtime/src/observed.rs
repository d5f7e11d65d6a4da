//! What the live console sees beyond the thread tree: whether one is
//! served at all ([`watched`]), and the named Queues and child Processes
//! alive now ([`QUEUES`], [`PROCESSES`]).
//!
//! The console is tier 1 and Queues and Processes tier 2, so neither can
//! name the other: each registers here, as a trait object of a trait this
//! module gives ([`ObservedQueue`], [`ObservedProcess`]), and the console
//! reads the registries when it samples.
//!
//! What it costs. A Queue or a Process registers once, when it is made (a
//! lock and a push of a `Weak`), and never again: its pushes and pops do
//! nothing for the console, which reads their figures (a length, a pid)
//! only when it samples. A registry holds `Weak`s, so a queue dropped is
//! simply gone; the dead entries are pruned when the registry is read, or
//! when it has doubled since the last pruning, so that its memory follows
//! the number of live queues, not of the queues ever made. (Until pruned,
//! a dead entry keeps its queue's block of memory, not its items nor its
//! channel: at most as many as are alive, plus 64.)
//!
//! Why everything registers, console or not: a program may serve its
//! console late ([`console::serve`](crate::console::serve), after reading
//! its command line), and the queues it made before must be in the first
//! snapshot. One push per queue built is not a cost per event, and is
//! small beside what building a queue already costs (its channel, and two
//! named Signals).
//!
//! The [`watched`] flag is for what would cost per event: the start of a
//! wait (a read of the clock) and a thread's last log lines are kept only
//! once a console has been served; it stays set after.

use crate::sync::real::{AtomicBool, Mutex, Ordering};
use crate::sync::{Arc, Weak};
use std::fmt;

/// Set once a console is served: from then on waits note when they
/// began, and threads keep their last log lines.
static WATCHED: AtomicBool = AtomicBool::new(false);

/// Whether a console has been served by this process (now or before): one
/// relaxed load, read only where a wait begins (the slow path) and where a
/// record is logged.
#[inline]
pub(crate) fn watched() -> bool {
    WATCHED.load(Ordering::Relaxed)
}

/// Called by the console when it starts serving. Relaxed: a wait that
/// begins as it is set may miss it, and shows no `blocked_ms` (as any wait
/// begun before).
pub(crate) fn watch() {
    WATCHED.store(true, Ordering::Relaxed);
}

/// A named queue, as the console lists it.
pub(crate) trait ObservedQueue: Send + Sync {
    /// Its figures now; never blocks for longer than a copy under the
    /// queue's own lock, if it has one.
    fn figures(&self) -> QueueFigures;
}

/// What a queue says of itself to the console.
#[derive(Debug, Clone)]
pub(crate) struct QueueFigures {
    /// Its name: the very `Arc` a wait on it records in the blocked slot
    /// ([`Blocked::Queue`](crate::local::blocked::Blocked::Queue)), so
    /// that waits are told apart by queue even when two share a name.
    pub(crate) name: Arc<str>,
    pub(crate) len: usize,
    pub(crate) capacity: Option<usize>,
    pub(crate) closed: bool,
}

/// A child process, as the console lists it.
pub(crate) trait ObservedProcess: Send + Sync {
    /// Its figures now, or `None` before its first run has started.
    fn figures(&self) -> Option<ProcessFigures>;
}

/// What a child process says of itself to the console.
#[derive(Debug, Clone)]
pub(crate) struct ProcessFigures {
    pub(crate) pid: u32,
    /// Its command line, as started.
    pub(crate) command: Arc<str>,
    /// The tree thread that watches it, if known.
    pub(crate) path: Option<Arc<str>>,
    /// `running`, or how it ended (`exited 0`, `killed by SIGTERM`).
    pub(crate) state: String,
}

/// The live named queues (Queue and PriorityQueue).
pub(crate) static QUEUES: Registry<dyn ObservedQueue> = Registry::new();

/// The child processes whose handle or watching thread is alive.
pub(crate) static PROCESSES: Registry<dyn ObservedProcess> = Registry::new();

/// Fewer entries than this are never pruned on a registration: a
/// registry this small costs nothing to read whole.
const SMALLEST_PRUNE: usize = 64;

/// A list of things alive now, as `Weak`s: what dies leaves on its own.
pub(crate) struct Registry<T: ?Sized> {
    entries: Mutex<Entries<T>>,
}

struct Entries<T: ?Sized> {
    weak: Vec<Weak<T>>,
    /// Pruned when a registration finds this many: twice the live count
    /// after the last pruning, so that pruning costs O(1) a registration.
    prune_at: usize,
}

impl<T: ?Sized> Registry<T> {
    const fn new() -> Registry<T> {
        Registry {
            entries: Mutex::new(Entries {
                weak: Vec::new(),
                prune_at: SMALLEST_PRUNE,
            }),
        }
    }

    /// Adds `entry`, for as long as it lives.
    pub(crate) fn register(&self, entry: Weak<T>) {
        let mut entries = self.entries.lock();
        if entries.weak.len() >= entries.prune_at {
            entries.prune();
        }
        entries.weak.push(entry);
    }

    /// Every entry alive now, in the order they registered. The dead ones
    /// are pruned; the live ones are returned as `Arc`s, dropped by the
    /// caller outside the registry's lock (a last drop may run any code).
    pub(crate) fn live(&self) -> Vec<Arc<T>> {
        let mut entries = self.entries.lock();
        entries.prune();
        entries.weak.iter().filter_map(Weak::upgrade).collect()
    }
}

impl<T: ?Sized> Entries<T> {
    fn prune(&mut self) {
        self.weak.retain(|entry| entry.strong_count() > 0);
        self.prune_at = (self.weak.len() * 2).max(SMALLEST_PRUNE);
    }
}

impl<T: ?Sized> fmt::Debug for Registry<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let entries = self.entries.lock();
        f.debug_struct("Registry")
            .field("entries", &entries.weak.len())
            .field("prune_at", &entries.prune_at)
            .finish()
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Figure(usize);

    impl ObservedQueue for Figure {
        fn figures(&self) -> QueueFigures {
            QueueFigures {
                name: "test".into(),
                len: self.0,
                capacity: None,
                closed: false,
            }
        }
    }

    #[test]
    fn the_dead_leave_and_the_registry_stays_as_small_as_the_living() {
        let registry: Registry<dyn ObservedQueue> = Registry::new();
        let kept: Arc<dyn ObservedQueue> = Arc::new(Figure(7));
        registry.register(Arc::downgrade(&kept));
        for n in 0..10_000 {
            let gone: Arc<dyn ObservedQueue> = Arc::new(Figure(n));
            registry.register(Arc::downgrade(&gone));
        }
        assert!(
            registry.entries.lock().weak.len() <= 2 * SMALLEST_PRUNE,
            "{registry:?}"
        );
        let live = registry.live();
        assert_eq!(live.len(), 1);
        assert_eq!(live[0].figures().len, 7);
        assert_eq!(registry.entries.lock().weak.len(), 1);
    }
}
