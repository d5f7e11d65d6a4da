//! The lock-order checker (cargo feature `lock-order`): the order in which
//! threads take named Locks, and the first time it is inverted.
//!
//! Two threads that take Locks "a" and "b" in opposite orders deadlock only
//! if they meet at the wrong moment, so a test suite can pass a thousand
//! times over the bug. Like the Linux kernel's lockdep, this module does not
//! wait for the meeting: it records every "Lock B taken while holding Lock
//! A" as an edge A → B of one graph shared by all threads, and the first
//! acquisition that closes a cycle (B taken while holding A, when the graph
//! already leads from B to A, directly or through other Locks) is logged as
//! an ERROR on target [`TARGET`] naming both orders and where each was
//! first taken, though this acquisition did not deadlock.
//!
//! ```text
//! lock order inverted: Lock "b" taken at src/x.rs:10:5 while holding Lock "a" (taken at src/x.rs:9:5) on thread main/x;
//! but earlier Lock "a" was taken at src/y.rs:20:9 while holding Lock "b" (taken at src/y.rs:19:9) on thread main/y.
//! This acquisition did not deadlock, but threads taking these Locks in these orders at the same time can.
//! ```
//!
//! (one line in the log). What it keys on, and what it leaves out:
//!
//! * A Lock's *name* is its class: every Lock named "account" is one node.
//!   So two Locks of one name held together are never ordered among
//!   themselves (the checker cannot tell them apart, and a transfer that
//!   locks two accounts by id is correct), and a name made per instance
//!   (`format!("conn-{id}")`) is a node of its own, kept for the life of the
//!   process, that no other instance's order is checked against.
//! * Unnamed Locks ([`Lock::new`](super::Lock::new)) are not checked: not
//!   even their address could stand for them, as a Lock dropped and another
//!   made in its place would inherit its orders. Name a Lock to check it.
//! * Each edge is checked once, when the first thread takes it: one
//!   inversion is one ERROR, however often it happens again, on any thread.
//!   When an edge closes several cycles, the shortest is told. Edges are
//!   never forgotten.
//! * Only Locks taken while holding Locks are edges: a thread that holds a
//!   Lock while it waits on a Signal, a Queue or a join is not seen here.
//!
//! The cost, on top of `lock()` and the guard's drop, for a named Lock: a
//! push and a pop on a thread-local stack of the Locks held; when another
//! named Lock is already held, one look-up in a thread-local set of the
//! pairs this thread has seen (`runtime/benches/README.md` has the
//! figures). Only a pair new to the thread takes the global graph's mutex,
//! and [`Lock::named`](super::Lock::named), once, to find the name's class.
//! Nothing at all without the feature: the hooks in `lock.rs` are compiled
//! out.

use super::Lock;
use crate::sync::Arc;
use crate::sync::const_thread_local;
use crate::sync::real::Mutex;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::hash::{BuildHasher, Hasher};
use std::panic::Location;

/// The `log` target of the reports.
pub(crate) const TARGET: &str = "more_threads::lock_order";

/// What the checker knows a Lock by: its name, as a number given once per
/// distinct name. [`Class::UNNAMED`] is never checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Class(u32);

type At = &'static Location<'static>;

/// A Lock this thread holds.
struct Held {
    /// The Lock's address: tells apart two held Locks of one class when one
    /// is released (a held Lock cannot move, its guard borrows it).
    lock: *const (),
    class: Class,
    /// Where it was taken: the `lock()` (or the `wait()` that took it back).
    at: At,
}

/// The calling thread's part: what it holds, innermost last, and the pairs
/// it has already put to the graph.
struct Mine {
    held: Vec<Held>,
    seen: HashSet<u64, PairHash>,
    /// The pair seen last, if any ([`NO_PAIR`] if none): checked before
    /// `seen`, as a loop takes the same pair again and again.
    last_pair: u64,
}

/// No pair: class 0 is never ordered.
const NO_PAIR: u64 = 0;

const_thread_local! {
    static MINE: RefCell<Mine> = RefCell::new(Mine {
        held: Vec::new(),
        seen: HashSet::with_hasher(PairHash),
        last_pair: NO_PAIR,
    });
}

/// The graph, shared by all threads: one node per Lock name.
struct Graph {
    classes: BTreeMap<Arc<str>, Class>,
    /// Node `n` is class `n + 1`.
    nodes: Vec<Node>,
}

struct Node {
    name: Arc<str>,
    /// The classes taken while holding this one, each with its first time.
    after: Vec<Edge>,
}

struct Edge {
    to: Class,
    first: Taking,
}

/// One time a Lock was taken while holding another.
struct Taking {
    held_at: At,
    taken_at: At,
    /// The thread's path (or its OS name).
    thread: Arc<str>,
}

static GRAPH: Mutex<Graph> = Mutex::new(Graph {
    classes: BTreeMap::new(),
    nodes: Vec::new(),
});

impl Class {
    /// The class of unnamed Locks: not checked.
    pub(crate) const UNNAMED: Class = Class(0);

    /// The class of a Lock named `name` (made on the first Lock of that
    /// name), or [`Class::UNNAMED`].
    pub(crate) fn of(name: Option<&Arc<str>>) -> Class {
        match name {
            Some(name) => GRAPH.lock().class(name),
            None => Class::UNNAMED,
        }
    }

    fn index(self) -> usize {
        self.0 as usize - 1
    }
}

/// `lock` was taken, at the caller's location: pushed on the held stack,
/// and ordered after the Lock held last.
#[inline]
#[track_caller]
pub(crate) fn taken<T>(lock: &Lock<T>) {
    if lock.class != Class::UNNAMED {
        taken_at(
            lock.class,
            std::ptr::from_ref(lock).cast(),
            Location::caller(),
        );
    }
}

/// `lock` was released (its guard dropped, or its guard waits): taken off
/// the held stack wherever it is, as guards may be dropped in any order. A
/// guard is not `Send`: the stack it leaves is the one it was pushed on.
#[inline]
pub(crate) fn released<T>(lock: &Lock<T>) {
    if lock.class != Class::UNNAMED {
        released_by(lock.class, std::ptr::from_ref(lock).cast());
    }
}

fn taken_at(class: Class, lock: *const (), at: At) {
    // Nothing else runs while the stack is borrowed, so the borrow never
    // fails but while the thread's locals are destroyed: then nothing is
    // recorded.
    let new_pair = MINE
        .try_with(|mine| {
            let mut mine = mine.try_borrow_mut().ok()?;
            let mine = &mut *mine;
            let new_pair = match mine.held.last() {
                // Only a pair this thread has not put to the graph before.
                Some(top) if top.class != class => {
                    let key = pair(top.class, class);
                    let new = key != mine.last_pair && mine.seen.insert(key);
                    mine.last_pair = key;
                    new.then_some((top.class, top.at))
                }
                // The first Lock held, or one of the class held last: two
                // Locks of one name are not ordered.
                _ => None,
            };
            mine.held.push(Held { lock, class, at });
            new_pair
        })
        .ok()
        .flatten();
    // Outside the borrow: the logger may take Locks of its own.
    if let Some((held, held_at)) = new_pair {
        first_seen(held, held_at, class, at);
    }
}

fn released_by(class: Class, lock: *const ()) {
    let _ = MINE.try_with(|mine| {
        if let Ok(mut mine) = mine.try_borrow_mut() {
            let is_it = |held: &Held| held.lock == lock && held.class == class;
            // Usually the last one (no search, no move); else searched from
            // there, as guards may be dropped in any order.
            if mine.held.last().is_some_and(is_it) {
                mine.held.pop();
            } else if let Some(index) = mine.held.iter().rposition(is_it) {
                mine.held.remove(index);
            }
        }
    });
}

/// `taken` was taken while holding `held`, the first time on this thread:
/// adds the edge to the graph if it is new there too, and logs the
/// inversion it closes, if any.
#[cold]
#[inline(never)]
fn first_seen(held: Class, held_at: At, taken: Class, taken_at: At) {
    let thread = crate::local::with_identity(|_name, path| Arc::from(path));
    let taking = Taking {
        held_at,
        taken_at,
        thread,
    };
    // The report is written under the graph's mutex and logged after it.
    let report = GRAPH.lock().add(held, taken, taking);
    if let Some(report) = report {
        log::error!(target: TARGET, "{report}");
    }
}

impl Graph {
    fn class(&mut self, name: &Arc<str>) -> Class {
        if let Some(class) = self.classes.get(name) {
            return *class;
        }
        let number =
            u32::try_from(self.nodes.len() + 1).expect("fewer than 2^32 Lock names in one process");
        let class = Class(number);
        self.classes.insert(name.clone(), class);
        self.nodes.push(Node {
            name: name.clone(),
            after: Vec::new(),
        });
        class
    }

    fn node(&self, class: Class) -> &Node {
        &self.nodes[class.index()]
    }

    /// Adds the edge `from` → `to` unless it is there already; returns the
    /// report of the cycle it closes, if it is new and closes one.
    fn add(&mut self, from: Class, to: Class, first: Taking) -> Option<String> {
        if self.node(from).after.iter().any(|edge| edge.to == to) {
            // Another thread took this pair first, and was checked then.
            return None;
        }
        let report = self
            .path(to, from)
            .map(|earlier| self.report(from, to, &first, &earlier));
        self.nodes[from.index()].after.push(Edge { to, first });
        report
    }

    /// The shortest path of edges from `start` to `end`, as (node, edge
    /// index) steps, if there is one.
    fn path(&self, start: Class, end: Class) -> Option<Vec<(Class, usize)>> {
        // Breadth first; `came_by[n]` is the step that first reached node n.
        let mut came_by: Vec<Option<(Class, usize)>> = vec![None; self.nodes.len()];
        let mut reached = vec![false; self.nodes.len()];
        let mut frontier = vec![start];
        reached[start.index()] = true;
        while !frontier.is_empty() {
            let mut next = Vec::new();
            for class in frontier {
                for (index, edge) in self.node(class).after.iter().enumerate() {
                    if reached[edge.to.index()] {
                        continue;
                    }
                    reached[edge.to.index()] = true;
                    came_by[edge.to.index()] = Some((class, index));
                    if edge.to == end {
                        return Some(self.walk_back(&came_by, start, end));
                    }
                    next.push(edge.to);
                }
            }
            frontier = next;
        }
        None
    }

    fn walk_back(
        &self,
        came_by: &[Option<(Class, usize)>],
        start: Class,
        end: Class,
    ) -> Vec<(Class, usize)> {
        let mut steps = Vec::new();
        let mut at = end;
        while at != start {
            let Some(step) = came_by[at.index()] else {
                unreachable!("every node on the path was reached by a step")
            };
            steps.push(step);
            at = step.0;
        }
        steps.reverse();
        steps
    }

    /// `to` taken while holding `from` (`now`), against the `earlier` path
    /// from `to` back to `from`.
    fn report(&self, from: Class, to: Class, now: &Taking, earlier: &[(Class, usize)]) -> String {
        let mut report = String::from("lock order inverted: ");
        self.tell(&mut report, from, to, now, "");
        report.push_str("; but earlier ");
        for (step, (class, index)) in earlier.iter().enumerate() {
            if step > 0 {
                report.push_str("; and ");
            }
            let edge = &self.node(*class).after[*index];
            self.tell(&mut report, *class, edge.to, &edge.first, "was ");
        }
        report.push_str(
            ". This acquisition did not deadlock, but threads taking these Locks \
             in these orders at the same time can.",
        );
        report
    }

    fn tell(&self, report: &mut String, held: Class, taken: Class, taking: &Taking, was: &str) {
        let _ = write!(
            report,
            "Lock {:?} {was}taken at {} while holding Lock {:?} (taken at {}) on thread {}",
            &*self.node(taken).name,
            taking.taken_at,
            &*self.node(held).name,
            taking.held_at,
            taking.thread,
        );
    }
}

/// The key of the pair "`taken` while holding `held`" in [`Mine::seen`].
fn pair(held: Class, taken: Class) -> u64 {
    (u64::from(held.0) << 32) | u64::from(taken.0)
}

/// Hashes a [`pair`] with one multiplication (Fibonacci hashing): the keys
/// are small numbers chosen by us, not input that could be made to collide.
#[derive(Clone, Copy, Default)]
struct PairHash;

#[derive(Default)]
struct PairHasher(u64);

impl BuildHasher for PairHash {
    type Hasher = PairHasher;

    fn build_hasher(&self) -> PairHasher {
        PairHasher(0)
    }
}

impl Hasher for PairHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.write_u64(u64::from(*byte));
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = (self.0 ^ value).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}
