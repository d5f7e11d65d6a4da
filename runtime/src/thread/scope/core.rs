//! [`ScopeCore`]: the protocol every scope runs, the closure form and
//! `scope!` alike. It counts the OS threads that may still borrow from the
//! scope, waits for the children the block's end waits for, stops the rest,
//! and keeps the failures in the order they happened.
//!
//! # Why no child can outlive its borrows
//!
//! A child's OS thread is counted in (`running += 1`) *before* it starts and
//! counts itself out as the very last thing it does, after the worker, its
//! captures and its copy of the value slot were dropped (`CountOut`, a drop
//! guard, so a panic in the runtime itself still counts out). The scope's
//! owner does not return, normally or by unwinding, while `running > 0`:
//! [`ScopeCore::end`] waits for it, and [`WaitOnUnwind`] makes any unwinding
//! past a scope wait too, or abort if even that panics. A spawn during the
//! end (from a child holding the scope) is counted like any other, so the
//! wait covers it: this is how `std::thread::scope` counts its threads.
//! The core is shared through an `Arc`, so a child that counts itself out
//! never touches memory its scope has freed.
//!
//! The argument rests on nothing the user's code can skip:
//! * *a forgotten future*: the scope is a plain function call that returns
//!   only after the wait; the block is a closure, so it cannot `.await`
//!   (rustc refuses), and no future can be suspended inside it;
//! * *a leaked closure or handle*: what user code holds is `&Scope` (tied to
//!   the scope's lifetime) and handles; the wait counts OS threads, not
//!   handles, so leaking either changes nothing; a leaked handle's failure
//!   is still collected;
//! * *a panic at any line*: the block runs under `catch_unwind`; from there
//!   to the end of the wait a [`WaitOnUnwind`] guard covers the runtime's own
//!   lines; a child counts out through a drop guard, after its captures
//!   (moved into locals declared after the guard) were dropped.

use super::super::error::ThreadError;
use super::super::node::{Kind, Node, log_unclaimed};
use super::super::spawn::{Inheritance, check_name, run};
use super::super::worker::BoxError;
use crate::deadlock::{self, Closing, Join, On, Waiting};
use crate::holder;
use crate::local::Local;
use crate::signal::{Signal, StopReason, one_line};
use crate::sync::{Arc, Condvar, Mutex, MutexGuard};
use crate::thread::node::joining;
use std::panic::Location;

/// What a scope shares with its children's threads.
pub(crate) struct ScopeCore {
    pub(crate) parent: Arc<Node>,
    /// Whether a child's failure stops the others (every scope but a
    /// first-success or quorum one, where another child may still succeed).
    fail_fast: bool,
    state: Mutex<State>,
    changed: Condvar,
}

struct State {
    children: Vec<Child>,
    /// OS threads started here that may still hold a borrow.
    running: usize,
    /// Children the block's end waits for: not released, not finished.
    awaited: usize,
    /// Every child was asked to stop, for this reason; new ones are born
    /// asked, for the same one.
    stopping: Option<StopReason>,
    /// Failures, in the order they happened.
    failed: Vec<Failed>,
    /// Set when its deadline passed before it ended: each child still
    /// running then, and what it was doing.
    deadline_passed: Option<Vec<(Arc<str>, String)>>,
    /// [`ScopeCore::end`] has returned: a deadline now is too late.
    over: bool,
}

struct Child {
    node: Arc<Node>,
    /// Released: the end stops it instead of waiting for it.
    background: bool,
    finished: bool,
}

/// One failure, in the order of [`State::failed`].
#[derive(Clone, Copy)]
enum Failed {
    /// The child at this index failed (its error is on its node, for a
    /// joiner to claim first).
    Child(usize),
    /// The block or closure ended: what failed before came first.
    BodyEnded,
}

/// The failures of a scope that nobody joined, split by when they happened:
/// before the block or closure ended, and after (while it was stopping).
pub(crate) struct Failures {
    pub(crate) before: Vec<ThreadError>,
    pub(crate) after: Vec<ThreadError>,
    /// If the deadline passed before the end: each child still running
    /// then, and what it was doing.
    pub(crate) deadline_passed: Option<Vec<(Arc<str>, String)>>,
}

impl Failures {
    pub(crate) fn is_empty(&self) -> bool {
        self.before.is_empty() && self.after.is_empty()
    }

    /// The first failure, with the later ones attached.
    pub(crate) fn into_first(self) -> Option<ThreadError> {
        let mut all = self.before.into_iter().chain(self.after);
        let first = all.next()?;
        Some(first.with_later(all.collect()))
    }

    /// Reports every failure to the log: they cannot change the way out.
    pub(crate) fn log(self) {
        for failure in self.before.iter().chain(&self.after) {
            log_unclaimed(failure);
        }
    }
}

impl ScopeCore {
    pub(crate) fn new(parent: Arc<Node>) -> Arc<ScopeCore> {
        ScopeCore::with_policy(parent, true)
    }

    /// A core whose failures stop the other children if `fail_fast`.
    pub(crate) fn with_policy(parent: Arc<Node>, fail_fast: bool) -> Arc<ScopeCore> {
        Arc::new(ScopeCore {
            parent,
            fail_fast,
            state: Mutex::new(State {
                children: Vec::new(),
                running: 0,
                awaited: 0,
                stopping: None,
                failed: Vec::new(),
                deadline_passed: None,
                over: false,
            }),
            changed: Condvar::new(),
        })
    }

    /// Asks every child still running, and every child born from now on,
    /// to stop, for `reason`, unless they already were: what decides a
    /// first-success scope.
    pub(crate) fn decide(&self, reason: impl FnOnce() -> StopReason) {
        let to_stop = stop_all(&mut self.state.lock(), reason);
        stop(&to_stop);
        self.changed.notify_all();
    }

    /// The scope's deadline went: unless the scope is over, keeps what each
    /// child still running was doing (for the error) and asks them all to
    /// stop, `of` naming the deadline in their reason.
    pub(crate) fn deadline_went(&self, of: Arc<str>) {
        let to_stop = {
            let mut state = self.state.lock();
            if state.over || state.deadline_passed.is_some() {
                return;
            }
            let still_running = state
                .children
                .iter()
                .filter(|child| !child.finished)
                .map(|child| {
                    let doing = child.node.local.blocked.lock().to_string();
                    (child.node.path.clone(), doing)
                })
                .collect();
            state.deadline_passed = Some(still_running);
            stop_all(&mut state, || StopReason::Deadline { of: Some(of) })
        };
        stop(&to_stop);
        self.changed.notify_all();
    }

    /// Whether the scope's deadline has passed (and stopped its children).
    pub(crate) fn deadline_has_passed(&self) -> bool {
        self.state.lock().deadline_passed.is_some()
    }

    /// Starts `body` on a new OS thread that may borrow for `'env`, as the
    /// child at the returned index; a name or spawn the OS refuses gives a
    /// child that has failed already.
    ///
    /// # Safety
    ///
    /// [`end`](ScopeCore::end) must return (which it does only once every
    /// thread counted here has counted itself out) before `'env` ends, on
    /// every path, unwinding included: the caller holds a [`WaitOnUnwind`]
    /// and calls `end` before the borrows it lends end.
    pub(crate) unsafe fn spawn<'env, T: Send + 'env>(
        self: &Arc<Self>,
        name: &str,
        location: &'static Location<'static>,
        body: impl FnOnce(&Signal) -> Result<T, BoxError> + Send + 'env,
    ) -> (usize, Arc<Node>, Arc<crate::sync::real::Mutex<Option<T>>>) {
        let value = Arc::new(crate::sync::real::Mutex::new(None));
        if let Err(error) = check_name(&self.parent, name, location) {
            let reason = sibling_failed(&error);
            let node = Node::never_started(&self.parent, error);
            let index = self.add_failed_child(node.clone(), reason);
            return (index, node, value);
        }
        // The scope's parent runs the scope: it has not ended.
        let node = Node::child(&self.parent, name, Kind::Spawned, None).unwrap_or_else(|node| node);
        let index = self.enroll(&node);
        let thread_body = {
            let (core, node, value) = (self.clone(), node.clone(), value.clone());
            let inheritance = Inheritance::capture();
            move || {
                // Declared first, so dropped last, after everything that may
                // borrow, on every path. The captures are moved into locals
                // declared after it: left in the closure, they would drop
                // after the locals, when unwinding.
                let count_out = CountOut { core, index };
                let (node, value, body) = (node, value, body);
                let failure = run(&node, &value, inheritance, body);
                drop(value);
                count_out.core.finished(index, failure.as_ref());
                node.finish(failure);
            }
        };
        let builder = crate::sync::real::thread::Builder::new().name(name.to_owned());
        // SAFETY: the closure borrows for 'env at most. It was counted in
        // above, before it could start, and it counts itself out only after
        // everything it owns that could borrow (the worker and its copy of
        // the value slot) was dropped; the caller's contract makes `end`
        // wait for that before 'env ends. The closure returns `()`, so
        // nothing borrowed leaves it through the OS thread's result.
        match unsafe { builder.spawn_unchecked(thread_body) } {
            Ok(os_thread) => drop(os_thread), // counted, not joined: see the module doc
            Err(error) => {
                // Not started: the closure (and the borrows in it) is gone.
                {
                    let mut state = self.state.lock();
                    state.running -= 1;
                }
                node.leave_parent();
                let error = ThreadError::new(
                    node.name.clone(),
                    node.path.clone(),
                    super::super::error::Cause::SpawnFailed(error),
                );
                self.finished(index, Some(&error));
                node.finish(Some(error));
                self.changed.notify_all();
            }
        }
        (index, node, value)
    }

    /// Counts a child in, before its OS thread may start: the end now waits
    /// for it to count out. Born asked to stop if the scope is stopping.
    fn enroll(&self, node: &Arc<Node>) -> usize {
        let mut state = self.state.lock();
        if let Some(reason) = &state.stopping {
            node.stop_because(reason.clone());
        }
        state.children.push(Child {
            node: node.clone(),
            background: false,
            finished: false,
        });
        state.running += 1;
        state.awaited += 1;
        state.children.len() - 1
    }

    fn add_failed_child(&self, node: Arc<Node>, reason: StopReason) -> usize {
        let index = {
            let mut state = self.state.lock();
            state.children.push(Child {
                node,
                background: false,
                finished: true,
            });
            state.children.len() - 1
        };
        if self.fail_fast {
            self.fail(index, reason);
        } else {
            self.state.lock().failed.push(Failed::Child(index));
        }
        index
    }

    /// A child's worker is done (its node not yet finished): it no longer
    /// holds the end of the block, and a failure stops its siblings.
    fn finished(&self, index: usize, failure: Option<&ThreadError>) {
        {
            let mut state = self.state.lock();
            let child = &mut state.children[index];
            child.finished = true;
            if !child.background {
                state.awaited -= 1;
            }
        }
        if let Some(failure) = failure.filter(|failure| !failure.is_stopped()) {
            if self.fail_fast {
                self.fail(index, sibling_failed(failure));
            } else {
                self.state.lock().failed.push(Failed::Child(index));
            }
        }
        self.changed.notify_all();
    }

    /// Fail fast: records the failure and, if it is the first, stops every
    /// other child (youngest first) and every child born from now on.
    fn fail(&self, index: usize, reason: StopReason) {
        let to_stop = {
            let mut state = self.state.lock();
            state.failed.push(Failed::Child(index));
            stop_all(&mut state, || reason)
        };
        stop(&to_stop);
    }

    /// The handle of the child at `index` lets go: the end stops it instead
    /// of waiting for it; its failure still fails the scope.
    pub(crate) fn release(&self, index: usize) {
        {
            let mut state = self.state.lock();
            let child = &mut state.children[index];
            if !child.background {
                child.background = true;
                if !child.finished {
                    state.awaited -= 1;
                }
            }
        }
        self.changed.notify_all();
    }

    /// The block or closure ended (`early`: by `?`, `return`, `break`, an
    /// `Err` or a panic). Waits for the children the end waits for (unless
    /// early), stops the rest, waits until no thread of the scope runs, and
    /// returns the failures nobody joined.
    pub(crate) fn end(&self, early: bool) -> Failures {
        let mut state = self.state.lock();
        state.failed.push(Failed::BodyEnded);
        loop {
            if early || state.awaited == 0 {
                let to_stop = stop_all(&mut state, || self.ended(early));
                if !to_stop.is_empty() {
                    drop(state);
                    stop(&to_stop);
                    state = self.state.lock();
                    continue;
                }
            }
            if state.running == 0 {
                break;
            }
            state = self.wait(state);
        }
        state.over = true;
        let deadline_passed = state.deadline_passed.take();
        let (failed, children): (Vec<Failed>, Vec<Arc<Node>>) = (
            std::mem::take(&mut state.failed),
            state
                .children
                .iter()
                .map(|child| child.node.clone())
                .collect(),
        );
        drop(state);
        Failures {
            deadline_passed,
            ..collect(&failed, &children)
        }
    }

    /// Why the children still running are stopped when the block ended
    /// (`early`: by `?`, `return`, `break`, an `Err` or a panic).
    fn ended(&self, early: bool) -> StopReason {
        StopReason::ScopeEnded {
            owner: self.parent.path.clone(),
            early,
        }
    }

    /// Sleeps until a child finishes or counts out, shown in the dump as
    /// joining the oldest child still running.
    fn wait<'a>(&self, state: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
        let running = state
            .children
            .iter()
            .find(|child| !child.node.stopped.is_go())
            .map(|child| child.node.path.clone());
        let _waiting = waiting_for_children(&state);
        let _blocked = running.map(|path| joining(path).enter());
        self.changed.wait(state)
    }

    /// Stops every child and waits until no thread of the scope runs, for
    /// an unwinding that must not leave while a child may still borrow.
    fn stop_and_wait(&self) {
        let to_stop = stop_all(&mut self.state.lock(), || self.ended(true));
        stop(&to_stop);
        let mut state = self.state.lock();
        while state.running > 0 {
            let _waiting = waiting_for_children(&state);
            state = self.changed.wait(state);
        }
    }
}

/// Tells the deadlock check that the scope's thread waits for each child
/// still running, until the returned wait drops. The scope cannot fail
/// instead of waiting (its children may borrow from it): a cycle through
/// it fails a Lock wait of the cycle (`crate::deadlock`).
fn waiting_for_children(state: &State) -> Option<Waiting<'static>> {
    let running: Vec<Arc<Local>> = state
        .children
        .iter()
        .filter(|child| !child.node.stopped.is_go())
        .map(|child| child.node.local.clone())
        .collect();
    if running.is_empty() {
        return None;
    }
    let on = On::Threads(Join::ScopeEnd, running);
    deadlock::graph()
        .wait(holder::me(), on, Closing::Sleeps)
        .ok()
}

/// Marks the scope stopping and returns the children still running, to be
/// stopped (youngest first) once the lock is released: stopping runs
/// callbacks, which must not run under it.
fn stop_all(state: &mut State, reason: impl FnOnce() -> StopReason) -> ToStop {
    if state.stopping.is_some() {
        return ToStop::default();
    }
    let reason = reason();
    state.stopping = Some(reason.clone());
    ToStop {
        nodes: state
            .children
            .iter()
            .rev()
            .filter(|child| !child.finished)
            .map(|child| child.node.clone())
            .collect(),
        reason: Some(reason),
    }
}

/// The children [`stop_all`] found running, and why they are stopped.
#[derive(Default)]
struct ToStop {
    nodes: Vec<Arc<Node>>,
    reason: Option<StopReason>,
}

impl ToStop {
    fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}

fn stop(to_stop: &ToStop) {
    if let Some(reason) = &to_stop.reason {
        for node in &to_stop.nodes {
            node.stop_because(reason.clone());
        }
    }
}

/// Why a scope's children are stopped when one of them failed with `failure`.
fn sibling_failed(failure: &ThreadError) -> StopReason {
    let summary = match std::error::Error::source(failure) {
        Some(cause) => cause.to_string(),
        None => failure.to_string(),
    };
    StopReason::SiblingFailed {
        sibling: failure.path().into(),
        summary: one_line(&summary),
    }
}

/// Takes every failure nobody joined, in the order they happened, and lets
/// every child leave the tree (its outcome is settled).
fn collect(failed: &[Failed], children: &[Arc<Node>]) -> Failures {
    let mut failures = Failures {
        before: Vec::new(),
        after: Vec::new(),
        deadline_passed: None,
    };
    let mut body_ended = false;
    let mut taken = vec![false; children.len()];
    for event in failed {
        match *event {
            Failed::BodyEnded => body_ended = true,
            Failed::Child(index) => {
                taken[index] = true;
                if let Some(failure) = children[index].settle_in_scope() {
                    if body_ended {
                        failures.after.push(failure);
                    } else {
                        failures.before.push(failure);
                    }
                }
            }
        }
    }
    for (child, taken) in children.iter().zip(taken) {
        if !taken {
            // Ended well, or quietly stopped: nothing to report but at DEBUG.
            if let Some(quiet) = child.settle_in_scope() {
                log_unclaimed(&quiet);
            }
        }
    }
    failures
}

/// Counts a child's OS thread out of its scope when dropped.
pub(super) struct CountOut {
    core: Arc<ScopeCore>,
    index: usize,
}

impl Drop for CountOut {
    fn drop(&mut self) {
        let mut state = self.core.state.lock();
        let child = &mut state.children[self.index];
        if !child.finished {
            // Only if the runtime itself panicked after the worker: the end
            // must not wait for a child that will never say it finished.
            child.finished = true;
            if !child.background {
                state.awaited -= 1;
            }
        }
        state.running -= 1;
        drop(state);
        self.core.changed.notify_all();
    }
}

/// Held by the owner of a scope from its first spawn to the return of
/// [`ScopeCore::end`]: if anything unwinds past the scope before then, the
/// drop stops every child and waits for all of them, and if that panics
/// too, aborts, so that no child outlives the borrows it was lent.
pub(crate) struct WaitOnUnwind<'a>(pub(crate) &'a ScopeCore);

impl Drop for WaitOnUnwind<'_> {
    fn drop(&mut self) {
        if crate::sync::real::thread::panicking() {
            let abort = AbortOnUnwind;
            self.0.stop_and_wait();
            std::mem::forget(abort);
        }
    }
}

/// Aborts the process if dropped while unwinding: the last line of defence
/// of [`WaitOnUnwind`], as crossbeam-utils' scope does.
struct AbortOnUnwind;

impl Drop for AbortOnUnwind {
    fn drop(&mut self) {
        eprintln!("more-threads: a scope could not wait for its threads while unwinding; aborting");
        std::process::abort();
    }
}

#[cfg(all(test, loom))]
mod loom_tests;
