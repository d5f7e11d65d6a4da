//! Who holds a [`Lock`](crate::lock::Lock), or waits in the deadlock graph:
//! a number per OS thread that is never given to another thread, and what
//! the thread dump says about it.
//!
//! A leaf of the primitives: it imports only the `sync` shim, so that the
//! Lock, the deadlock check, the Signal and what the tree lends each thread
//! (`crate::local`, which tells it the path a thread is [`known_as`]) can
//! all number threads without importing each other.
//!
//! A Lock records its holder to refuse a second `lock()` from the thread
//! that holds it. That record must never match a thread that does not hold
//! the Lock, or the thread is told that it does, and panics. The address of
//! a thread-local (the first design) is unique only among the threads alive:
//! a thread that ends holding a Lock (its guard forgotten or leaked) leaves
//! that address in the record, and a later thread that the OS gives the same
//! stack has the same address (issue 18). A number drawn from a counter that
//! only grows cannot come back. At 64 bits it never runs out; on a 32-bit
//! target, the threads after the first 2³² − 2 that lock a Lock all get
//! [`UNTRACKED`], which is never taken for a holder: a re-lock among them is
//! not detected (it blocks, as on any mutex), and is never misread.
//!
//! The number costs `lock()` one thread-local load and a test, as the
//! address did; nothing is counted per guard. For the dump, [`HeldBy`]
//! names a holder from a table of the threads that have drawn a number:
//! each with its path (its OS name until the tree lends it a node:
//! [`known_as`]), moved when it ends to a short list of the threads that
//! ended most recently, so that a thread blocked on a Lock whose holder
//! ended holding it (a guard forgotten) is told who that was, as long as
//! fewer than [`ENDED_KEPT`] other threads have ended since.

use crate::sync::Arc;
use crate::sync::const_thread_local;
use crate::sync::real::{AtomicUsize, Mutex, Ordering};
use std::cell::Cell;
use std::collections::{BTreeMap, VecDeque};
use std::fmt;

/// Held by nobody: the record of a Lock nobody holds.
pub(crate) const NOBODY: usize = 0;

/// The number of every thread after the counter ran out (32-bit targets
/// only): never reported as holding a Lock.
pub(crate) const UNTRACKED: usize = usize::MAX;

/// How many of the threads that ended last the dump can still name.
const ENDED_KEPT: usize = 256;

/// Moves the thread to [`Known::ended`] when the thread ends.
struct Ends {
    number: Cell<usize>,
}

const_thread_local! {
    /// The calling thread's number, [`NOBODY`] until it first locks a Lock.
    /// No `Drop`: std then keeps no destructor state for it, and reading it
    /// is one thread-local load.
    static MINE: Cell<usize> = Cell::new(NOBODY);
    static ENDS: Ends = Ends {
        number: Cell::new(NOBODY),
    };
}

/// The threads that have drawn a number, by number, with their paths.
struct Known {
    live: BTreeMap<usize, Arc<str>>,
    /// The last [`ENDED_KEPT`] to end, oldest first.
    ended: VecDeque<(usize, Arc<str>)>,
}

static KNOWN: Mutex<Known> = Mutex::new(Known {
    live: BTreeMap::new(),
    ended: VecDeque::new(),
});

/// The calling thread's number: never [`NOBODY`], never another thread's.
#[inline]
pub(crate) fn me() -> usize {
    MINE.with(|mine| match mine.get() {
        NOBODY => first_use(mine),
        number => number,
    })
}

/// The calling thread is known to the tree as `path` from now on (it entered
/// the tree, or acts as another node for a while): the dump names it so if
/// it holds a Lock. Nothing for a thread that never locked one.
pub(crate) fn known_as(path: &Arc<str>) {
    let number = MINE.try_with(Cell::get).unwrap_or(NOBODY);
    if number == NOBODY || number == UNTRACKED {
        return;
    }
    if let Some(known) = KNOWN.lock().live.get_mut(&number) {
        *known = path.clone();
    }
}

/// Draws the calling thread's number and enters it in [`KNOWN`].
#[cold]
#[inline(never)]
fn first_use(mine: &Cell<usize>) -> usize {
    static NEXT: AtomicUsize = AtomicUsize::new(NOBODY + 1);
    let number = NEXT
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |next| {
            (next != UNTRACKED).then(|| next + 1)
        })
        .unwrap_or(UNTRACKED);
    mine.set(number);
    if number == UNTRACKED {
        return number;
    }
    // Entered only if the thread can still be told when it ends (not while
    // its thread-locals are being destroyed): a live entry must not outlive
    // its thread. Under its OS name: a thread the tree lends a node draws
    // its number as it is lent, before the node is (`local::lend`), and is
    // then `known_as` the node's path.
    if ENDS.try_with(|ends| ends.number.set(number)).is_ok() {
        let os_thread = crate::sync::real::thread::current();
        let path = Arc::from(os_thread.name().unwrap_or("unnamed"));
        KNOWN.lock().live.insert(number, path);
    }
    number
}

impl Drop for Ends {
    /// The thread ends: it moves from the live to the ended, and the oldest
    /// ended beyond [`ENDED_KEPT`] are forgotten.
    fn drop(&mut self) {
        let number = self.number.get();
        let mut known = KNOWN.lock();
        if let Some(path) = known.live.remove(&number) {
            if known.ended.len() == ENDED_KEPT {
                known.ended.pop_front();
            }
            known.ended.push_back((number, path));
        }
    }
}

/// The path of thread `number`, as [`HeldBy`] would name it: for the
/// messages of the deadlock check.
pub(crate) fn path_of(number: usize) -> String {
    let known = KNOWN.lock();
    if let Some(path) = known.live.get(&number) {
        return path.to_string();
    }
    match known.ended.iter().find(|(ended, _)| *ended == number) {
        Some((_, path)) => format!("{path} (which has ended)"),
        None => "a thread that has ended".to_owned(),
    }
}

/// Who held a Lock when a thread began to wait for it: `Display` says it
/// for the dump, as `, held by main/a`, or `, held by main/a, which has
/// ended`, or `, held by a thread that has ended` (one that ended too long
/// ago to be named), or nothing if nobody did.
///
/// It is the holder of the moment the wait began: if the Lock changed hands
/// since (and this thread still waits), it is not followed. A Lock whose
/// guard was forgotten never changes hands.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HeldBy(usize);

impl HeldBy {
    /// No holder to tell of (a wait for a notification, not for the Lock).
    pub(crate) const NOBODY: HeldBy = HeldBy(NOBODY);

    /// The holder in `record`, a Lock's record of it.
    pub(crate) fn of(record: &crate::sync::AtomicUsize) -> HeldBy {
        HeldBy(record.load(crate::sync::Ordering::Relaxed))
    }
}

impl fmt::Display for HeldBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let number = self.0;
        if number == NOBODY || number == UNTRACKED {
            return Ok(());
        }
        let known = KNOWN.lock();
        if let Some(path) = known.live.get(&number) {
            return write!(f, ", held by {path}");
        }
        match known.ended.iter().find(|(ended, _)| *ended == number) {
            Some((_, path)) => write!(f, ", held by {path}, which has ended"),
            // Every thread that draws a number is live until it ends (or
            // is ending, if it drew it as its thread-locals were destroyed).
            None => f.write_str(", held by a thread that has ended"),
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::{HeldBy, NOBODY, me};
    use crate::sync::AtomicUsize;
    use std::thread;

    #[test]
    fn a_threads_number_is_its_own_and_never_nobody() {
        let mine = me();
        assert_ne!(mine, NOBODY);
        assert_eq!(me(), mine, "the same number on every call");
        let theirs = thread::spawn(me).join().unwrap();
        assert_ne!(theirs, mine);
    }

    #[test]
    fn a_thread_that_ends_gets_a_number_no_later_thread_gets() {
        let numbers: Vec<usize> = (0..64).map(|_| thread::spawn(me).join().unwrap()).collect();
        let mut distinct = numbers.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(
            distinct.len(),
            numbers.len(),
            "a number came back: {numbers:?}"
        );
    }

    #[test]
    fn held_by_names_a_live_holder_and_says_when_it_has_ended() {
        let live = AtomicUsize::new(me());
        let held_by = HeldBy::of(&live).to_string();
        assert!(
            held_by.starts_with(", held by ") && !held_by.ends_with("has ended"),
            "{held_by:?}"
        );
        let ended = AtomicUsize::new(
            thread::Builder::new()
                .name("ends-after-drawing".to_owned())
                .spawn(me)
                .unwrap()
                .join()
                .unwrap(),
        );
        let held_by = HeldBy::of(&ended).to_string();
        // Named, unless 256 threads of other tests ended in between.
        assert!(
            held_by == ", held by ends-after-drawing, which has ended"
                || held_by == ", held by a thread that has ended",
            "{held_by:?}"
        );
        assert_eq!(HeldBy::NOBODY.to_string(), "");
    }
}
