//! Deadlocks named the moment they close: a wait-for graph of the waits
//! whose waker is certain, and the check a thread runs before it sleeps in
//! one.
//!
//! A thread about to sleep publishes what it waits for, as edges to the
//! threads that alone can end the wait:
//!
//! * a Lock it waits to take → the thread holding the Lock (read live from
//!   the Lock's record of its holder, so a Lock that changes hands is
//!   followed to its new holder);
//! * a join, or a wait on a thread's `stopped` Signal → that thread; the
//!   end of a scope, or of a thread, → each child still running (all of them
//!   must end).
//!
//! Waits that anyone may end (Queue pops and adds, plain Signals and Tills,
//! a Lock's condition wait, a child process) are never edges, so they never
//! raise a false alarm; a deadlock through one of them is not seen.
//!
//! Before sleeping, the thread follows the edges from itself (each thread
//! visited once). If they lead back to it, the wait would never end: a wait
//! that can fail fails instead of sleeping (`Lock::lock` panics, a join
//! returns `Err`), naming the cycle. A wait that cannot fail (a scope cannot
//! leave while its children may borrow from it; `Signal::wait` returns
//! nothing to fail with) sleeps, and fails a Lock
//! wait of the cycle instead ([`RawLock::abort`]): that thread panics with
//! the cycle, its unwinding ends the cycle, and the rest of the tree shuts
//! down as after any failure. A cycle with no Lock wait and no wait that can
//! fail is logged as an ERROR and shown by the dump.
//!
//! # Why two threads closing one cycle never both sleep
//!
//! Publishing and walking happen under one lock, the graph's. Of the waits
//! of a cycle, one is published last; the thread publishing it walks a
//! graph that holds every other wait of the cycle. And every Lock record the
//! walk reads was written by its holder before that holder published its
//! own wait (a thread takes its Locks, then waits), that is, before it
//! released the graph's lock, which the last thread has taken since: the
//! walk reads the holder, not a stale record. So the last one finds the
//! cycle. A Lock record that is stale the other way (a holder that has since
//! let go) cannot be read: its holder cleared it before it let go, and before
//! it published any later wait. The loom model `deadlock::loom_tests`
//! checks both, under every interleaving.
//!
//! The check costs nothing on the fast paths: only a thread that is about to
//! sleep takes the graph's lock.

#[cfg(all(test, loom))]
mod loom_tests;

use crate::holder;
use crate::local::Local;
use crate::raw_lock::{AbortFlag, RawLock};
use crate::sync::{
    Arc, AtomicUsize, Mutex, Ordering, const_fn_unless_loom, const_thread_local, process_static,
};
use std::cell::RefCell;
use std::fmt;
use std::ptr::NonNull;

/// What a thread waits for, as the graph keeps it.
pub(crate) enum On {
    /// Taking a Lock.
    Lock(LockWait),
    /// The end of each of these threads.
    Threads(Join, Vec<Arc<Local>>),
}

/// How a thread waits for other threads to end, for the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Join {
    /// `join()` or `join_till()` of a handle.
    Handle,
    /// The end of a scope, for the children it started.
    ScopeEnd,
    /// A thread whose worker returned, for its children.
    ChildrenEnd,
    /// A wait on a thread's `stopped` Signal.
    Stopped,
}

/// A Lock being waited for: its name, and where its holder is recorded and
/// its waiters sleep.
pub(crate) struct LockWait {
    name: NonNull<Option<Arc<str>>>,
    owner: NonNull<AtomicUsize>,
    raw: NonNull<RawLock>,
}

// SAFETY: the pointers are only read (an atomic load, an unpark by address),
// which any thread may do with a shared reference; they are valid while the
// wait is in the graph (see `LockWait::new`).
unsafe impl Send for LockWait {}

impl LockWait {
    /// The wait for a Lock named `name` whose holder is recorded in `owner`.
    /// Borrowed, not cloned: a blocking wait costs no reference count.
    ///
    /// # Safety
    ///
    /// `name`, `owner` and `raw` must stay valid while the [`Waiting`] published
    /// with this wait lives. The Lock's `lock()` publishes it while it
    /// borrows the Lock and drops the `Waiting` before it returns or
    /// unwinds (it is a local of that call, never handed out, so it cannot
    /// be forgotten or leaked): the Lock cannot move or drop meanwhile.
    pub(crate) unsafe fn new(
        name: &Option<Arc<str>>,
        owner: &AtomicUsize,
        raw: &RawLock,
    ) -> LockWait {
        LockWait {
            name: NonNull::from(name),
            owner: NonNull::from(owner),
            raw: NonNull::from(raw),
        }
    }

    fn holder(&self) -> usize {
        // SAFETY: valid while the wait is in the graph (`LockWait::new`),
        // and it is: this is read under the graph's lock.
        unsafe { self.owner.as_ref() }.load(Ordering::Relaxed)
    }

    fn describe(&self) -> String {
        // SAFETY: valid while the wait is in the graph (`LockWait::new`),
        // and it is: cycles are described under the graph's lock.
        crate::local::blocked::describe_lock(unsafe { self.name.as_ref() }.as_deref())
    }
}

/// Whether the call that would close a cycle can fail instead of sleeping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Closing {
    /// It fails, naming the cycle.
    Fails,
    /// It sleeps, and fails a Lock wait of the cycle instead.
    Sleeps,
}

/// One thread's published wait.
struct Wait {
    on: On,
    /// Set, with `why`, when another thread closed a cycle through this
    /// wait and chose it to fail.
    abort: Arc<Abort>,
}

/// How a Lock wait is told to give up, and why.
pub(crate) struct Abort {
    flag: AbortFlag,
    why: Mutex<Option<String>>,
}

/// The wait-for graph: each waiting thread, by number
/// ([`holder::me`]), with what it waits for.
pub(crate) struct Graph {
    waits: Mutex<Waits>,
}

/// The published waits, sorted by thread number. A vector, not a map: it
/// keeps its capacity, so publishing and retracting a wait never allocate
/// (an empty `BTreeMap` allocates a node for its first entry and frees it
/// with its last, at every blocking wait of a quiet process), and the few
/// waits of a process are searched as fast as a map's.
struct Waits {
    sorted: Vec<(usize, Wait)>,
}

impl Waits {
    const fn new() -> Waits {
        Waits { sorted: Vec::new() }
    }

    fn position(&self, number: usize) -> Result<usize, usize> {
        self.sorted.binary_search_by_key(&number, |(key, _)| *key)
    }

    fn get(&self, number: usize) -> Option<&Wait> {
        let index = self.position(number).ok()?;
        Some(&self.sorted[index].1)
    }

    fn contains(&self, number: usize) -> bool {
        self.position(number).is_ok()
    }

    /// Publishes thread `number`'s wait; it has none (the caller checked).
    fn insert(&mut self, number: usize, wait: Wait) {
        match self.position(number) {
            Ok(index) => self.sorted[index].1 = wait,
            Err(index) => self.sorted.insert(index, (number, wait)),
        }
    }

    fn remove(&mut self, number: usize) -> Option<Wait> {
        let index = self.position(number).ok()?;
        Some(self.sorted.remove(index).1)
    }

    fn iter(&self) -> impl Iterator<Item = (usize, &Wait)> {
        self.sorted.iter().map(|(number, wait)| (*number, wait))
    }
}

/// A cycle of waits, from the thread whose wait closes it (or fails).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cycle {
    steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Step {
    /// The waiting thread's path.
    who: String,
    /// `waits for Lock "a" held by`, `joins`, ...
    waits: String,
    /// Its number, to rotate the cycle to a chosen thread.
    number: usize,
}

/// A thread's wait, published in the graph until dropped.
pub(crate) struct Waiting<'g> {
    graph: &'g Graph,
    me: usize,
    /// The thread's [`Abort`], owned by its wait in the graph (the outer
    /// wait's, for a wait inside another), which only this `Waiting` (the
    /// outer one) retracts, on drop: it stays valid while this lives. A
    /// pointer, not an `Arc`: a blocking wait costs no reference count.
    abort: NonNull<Abort>,
    /// `false` for a wait inside another: that one retracts.
    published: bool,
}

impl Graph {
    const_fn_unless_loom! {
        pub(crate) fn new() -> Graph {
            Graph {
                waits: Mutex::new(Waits::new()),
            }
        }
    }

    /// Publishes `on` as what thread `me` is about to sleep in, after
    /// checking that the sleep could end. If the graph leads from `me` back
    /// to `me`, a wait that [`Closing::Fails`] is not published, and the
    /// cycle is returned; one that [`Closing::Sleeps`] is published, and a
    /// Lock wait of the cycle is told to fail.
    pub(crate) fn wait(&self, me: usize, on: On, closing: Closing) -> Result<Waiting<'_>, Cycle> {
        let mut waits = self.waits.lock();
        // A wait inside a wait already published (a join sleeps on the
        // joined thread's `stopped`): the outer one speaks for the thread.
        if let Some(outer) = waits.get(me) {
            return Ok(Waiting {
                graph: self,
                me,
                abort: NonNull::from(&*outer.abort),
                published: false,
            });
        }
        let abort = take_my_abort();
        // Reset under the graph's lock, where an abort is set: a flag left
        // from a wait this thread was failed in must not fail this one.
        if abort.flag.load(Ordering::Relaxed) {
            abort.flag.store(false, Ordering::Relaxed);
            *abort.why.lock() = None;
        }
        let cycle = find_cycle(&waits, me, &on);
        if let (Some(cycle), Closing::Fails) = (&cycle, closing) {
            drop(waits);
            give_back_my_abort(abort);
            return Err(cycle.clone());
        }
        let waiting = Waiting {
            graph: self,
            me,
            abort: NonNull::from(&*abort),
            published: true,
        };
        waits.insert(me, Wait { on, abort });
        let unbreakable = cycle.filter(|cycle| !fail_a_lock_wait(&waits, cycle));
        drop(waits);
        // Logged outside the graph's lock: a logger may take Locks.
        if let Some(cycle) = unbreakable {
            report!(
                Error,
                "more_threads::deadlock",
                "{cycle}; no wait of it can fail, so it will not end"
            );
        }
        Ok(waiting)
    }

    /// Every cycle in the graph, each once.
    pub(crate) fn cycles(&self) -> Vec<Cycle> {
        let waits = self.waits.lock();
        let mut found: Vec<Cycle> = Vec::new();
        for (number, wait) in waits.iter() {
            if found
                .iter()
                .any(|cycle| cycle.steps.iter().any(|step| step.number == number))
            {
                continue;
            }
            if let Some(cycle) = find_cycle(&waits, number, &wait.on) {
                found.push(cycle);
            }
        }
        found
    }
}

impl Waiting<'_> {
    /// Set when another thread chose this wait to fail.
    pub(crate) fn abort_flag(&self) -> &AbortFlag {
        &self.abort().flag
    }

    fn abort(&self) -> &Abort {
        // SAFETY: the wait that owns it is in the graph while this lives
        // (see the field).
        unsafe { self.abort.as_ref() }
    }

    /// The cycle this wait was failed for (after [`abort_flag`] was seen).
    ///
    /// [`abort_flag`]: Waiting::abort_flag
    pub(crate) fn why_aborted(&self) -> String {
        self.abort()
            .why
            .lock()
            .clone()
            .unwrap_or_else(|| "deadlock".to_owned())
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        if self.published {
            let retracted = self.graph.waits.lock().remove(self.me);
            // Outside the graph's lock: the wait may hold the last reference
            // to a thread's `Local`.
            if let Some(wait) = retracted {
                give_back_my_abort(wait.abort);
            }
        }
    }
}

const_thread_local! {
    /// The calling thread's [`Abort`], made on its first wait and reused:
    /// a sleep costs no allocation for it. Taken out while it is in the
    /// graph, given back when the wait is retracted.
    static MY_ABORT: RefCell<Option<Arc<Abort>>> = RefCell::new(None);
}

fn take_my_abort() -> Arc<Abort> {
    MY_ABORT
        .try_with(|mine| mine.borrow_mut().take())
        .ok()
        .flatten()
        .unwrap_or_else(|| {
            Arc::new(Abort {
                flag: AbortFlag::new(false),
                why: Mutex::new(None),
            })
        })
}

fn give_back_my_abort(abort: Arc<Abort>) {
    // While the thread's locals are destroyed, it is dropped instead.
    let _ = MY_ABORT.try_with(|mine| *mine.borrow_mut() = Some(abort));
}

process_static! {
    /// The graph of this process.
    pub(crate) fn graph() -> &'static Graph { Graph::new() }
}

/// The threads that alone can end `on`, by number; `None` for a thread
/// that has not started yet (it waits for nothing, and holds nothing).
fn wakers(on: &On) -> Vec<usize> {
    match on {
        On::Lock(lock) => vec![lock.holder()],
        On::Threads(_, threads) => threads.iter().map(|local| local.number()).collect(),
    }
    .into_iter()
    .filter(|&number| number != holder::NOBODY && number != holder::UNTRACKED)
    .collect()
}

/// A path of waits from `me` (about to wait in `on`) back to `me`: a
/// depth-first walk that visits each thread once.
fn find_cycle<'a>(waits: &'a Waits, me: usize, on: &'a On) -> Option<Cycle> {
    // Most sleeps are for threads that run (not in the graph): settled
    // without a walk, and without allocating.
    let leads_on = |number: usize| number == me || waits.contains(number);
    let worth_a_walk = match on {
        On::Lock(lock) => leads_on(lock.holder()),
        On::Threads(_, threads) => threads.iter().any(|local| leads_on(local.number())),
    };
    if !worth_a_walk {
        return None;
    }
    // The path so far: each thread, its wait, and the wakers left to try.
    let mut path: Vec<(usize, &On, Vec<usize>)> = vec![(me, on, wakers(on))];
    let mut seen = vec![me];
    while let Some((_, _, next)) = path.last_mut() {
        let Some(number) = next.pop() else {
            path.pop();
            continue;
        };
        if number == me {
            let steps = path
                .iter()
                .map(|(who, on, _)| Step::new(*who, on))
                .collect();
            return Some(Cycle { steps });
        }
        if seen.contains(&number) {
            continue;
        }
        seen.push(number);
        if let Some(wait) = waits.get(number) {
            path.push((number, &wait.on, wakers(&wait.on)));
        }
    }
    None
}

/// Tells the first Lock wait of `cycle`, other than its first step's (the
/// wait that closed it and cannot fail), to give up with the cycle; says
/// whether there was one.
fn fail_a_lock_wait(waits: &Waits, cycle: &Cycle) -> bool {
    for (index, step) in cycle.steps.iter().enumerate().skip(1) {
        let Some(wait) = waits.get(step.number) else {
            continue;
        };
        let On::Lock(lock) = &wait.on else {
            continue;
        };
        *wait.abort.why.lock() = Some(cycle.starting_at(index).to_string());
        wait.abort.flag.store(true, Ordering::Release);
        // SAFETY: valid while the wait is in the graph (`LockWait::new`),
        // and it is: this runs under the graph's lock.
        unsafe { lock.raw.as_ref() }.abort(step.number);
        return true;
    }
    false
}

impl Step {
    fn new(who: usize, on: &On) -> Step {
        let waits = match on {
            On::Lock(lock) => format!("waits for {} held by", lock.describe()),
            On::Threads(Join::Handle, _) => "joins".to_owned(),
            On::Threads(Join::ScopeEnd, _) => "waits at the end of its scope for".to_owned(),
            On::Threads(Join::ChildrenEnd, _) => "has returned and waits for its child".to_owned(),
            On::Threads(Join::Stopped, _) => "waits for the end of".to_owned(),
        };
        Step {
            who: holder::path_of(who),
            waits,
            number: who,
        }
    }
}

impl Cycle {
    /// The same cycle, told from its `index`th step.
    fn starting_at(&self, index: usize) -> Cycle {
        let mut steps = self.steps.clone();
        steps.rotate_left(index);
        Cycle { steps }
    }

    /// Whether thread `number` is one of the cycle's.
    pub(crate) fn involves(&self, number: usize) -> bool {
        self.steps.iter().any(|step| step.number == number)
    }
}

impl fmt::Display for Cycle {
    /// `deadlock: main/a waits for Lock "x" held by main/b, which waits for
    /// Lock "y" held by main/a`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("deadlock: ")?;
        for (index, step) in self.steps.iter().enumerate() {
            if index > 0 {
                f.write_str(", which ")?;
                write!(f, "{}", step.waits)?;
            } else {
                write!(f, "{} {}", step.who, step.waits)?;
            }
            let next = &self.steps[(index + 1) % self.steps.len()];
            write!(f, " {}", next.who)?;
        }
        Ok(())
    }
}
