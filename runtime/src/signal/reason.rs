//! [`StopReason`]: why a Signal went, recorded once, when it goes.
//!
//! A worker that finds `please_stop` gone can ask why
//! ([`Signal::reason`](super::Signal::reason)): a Ctrl-C, a sibling's failure,
//! a deadline and its parent's end call for different log lines, and for
//! different answers (Go's `context.Cause`, the web's `AbortSignal.reason`,
//! OTP's exit reasons). The reason travels with the stop: the children of a
//! thread asked to stop, and a combination such as `please_stop | till`,
//! carry the reason of what made them go.
//!
//! Recording it costs the `go` that records it (a few reference counts) and
//! nothing else: `is_go` and `!please_stop` stay one atomic load.

use crate::sync::{Arc, const_thread_local};
use std::cell::RefCell;
use std::fmt;

/// Why a Signal went (why a thread was asked to stop).
///
/// [`Display`](fmt::Display) reads after "stopped because": "main/chunk-6
/// failed: bad value at 10", "SIGINT asked the process to stop". The paths
/// are thread paths (`main/crawler/fetch-3`).
///
/// ```
/// use more_threads::{Thread, signal::StopReason};
///
/// let worker = Thread::run("worker", |please_stop| {
///     please_stop.wait();
///     please_stop.reason()
/// })?;
/// worker.stop();
/// let reason = worker.join()?.expect("it went, so it has a reason");
/// assert!(matches!(&reason, StopReason::Asked { by, .. } if &**by == "main"));
/// assert!(reason.to_string().ends_with("main asked"), "{reason}");
/// # Ok::<(), more_threads::ThreadError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StopReason {
    /// [`go`](super::Signal::go) (or a thread's `stop()`) was called by the
    /// thread at `by`.
    #[non_exhaustive]
    Asked {
        /// The path of the thread that asked; its OS name (or `unnamed`)
        /// if the tree does not know it.
        by: Arc<str>,
    },
    /// The thread's parent ended (its worker returned) while it still ran.
    #[non_exhaustive]
    ParentEnded {
        /// The parent's path.
        parent: Arc<str>,
    },
    /// A sibling in its scope failed, which stops the others.
    #[non_exhaustive]
    SiblingFailed {
        /// The failed sibling's path.
        sibling: Arc<str>,
        /// Its failure, on one line.
        summary: Arc<str>,
    },
    /// A sibling in its first-success (or quorum) scope succeeded, which
    /// decided the scope.
    #[non_exhaustive]
    SiblingSucceeded {
        /// The sibling whose success decided it.
        sibling: Arc<str>,
    },
    /// The block of the scope that started it ended: `early` by `?`,
    /// `return`, `break`, an `Err` or a panic, else at its end, which stops
    /// the children it released.
    #[non_exhaustive]
    ScopeEnded {
        /// The path of the thread that ran the scope.
        owner: Arc<str>,
        /// Whether the block left early.
        early: bool,
    },
    /// A deadline passed: a [`Till`](crate::Till), or a scope's deadline.
    #[non_exhaustive]
    Deadline {
        /// What the deadline was of (`the scope in main/fetch`), if more
        /// than a Till.
        of: Option<Arc<str>>,
    },
    /// The shutdown: an OS signal asked the process to stop (`"SIGINT"`,
    /// `"SIGTERM"`).
    #[non_exhaustive]
    OsSignal {
        /// The signal's name.
        name: &'static str,
    },
    /// The shutdown: `main`'s body returned, so its threads are asked to stop.
    MainReturned,
    /// The shutdown: [`stop_main`](crate::stop_main) was called.
    StopMain,
    /// The thread's restart policy ended an attempt of its parent (the
    /// children of one attempt do not outlive it).
    #[non_exhaustive]
    Restart {
        /// The restarting thread's path.
        thread: Arc<str>,
    },
    /// A supervisor stops a child to start it again with others: its
    /// `one_for_all` or `rest_for_one` strategy restarts a group because
    /// one child of the group ended (see `more_threads::supervisor`).
    #[non_exhaustive]
    SupervisorRestart {
        /// The supervisor's path.
        supervisor: Arc<str>,
        /// The path of the child whose end set off the restart.
        because_of: Arc<str>,
        /// How that child ended, on one line: `failed: …`, or `ended`.
        ended: Arc<str>,
        /// Whether every child restarts (`one_for_all`), else only those
        /// started after `because_of` (`rest_for_one`).
        all: bool,
    },
    /// A supervisor ends, so it stops its children: a significant child
    /// ended, or its children restarted more often than its intensity
    /// allows.
    #[non_exhaustive]
    SupervisorEnded {
        /// The supervisor's path.
        supervisor: Arc<str>,
        /// Why, on one line: `its significant child main/sup/job ended`.
        why: Arc<str>,
    },
    /// A child process exited, which ends the threads that served it.
    #[non_exhaustive]
    ProcessExited {
        /// The process (`name (pid 7)`).
        process: Arc<str>,
        /// How it exited (`exit status: 1`).
        status: Arc<str>,
    },
    /// A reason given by the program, with [`StopReason::other`].
    #[non_exhaustive]
    Other {
        /// What the program said.
        why: Arc<str>,
    },
}

impl StopReason {
    /// Whether this is the process's shutdown: an OS signal, `main`'s body
    /// returning, or [`stop_main`](crate::stop_main).
    ///
    /// ```
    /// use more_threads::signal::StopReason;
    ///
    /// assert!(StopReason::MainReturned.is_shutdown());
    /// assert!(!StopReason::other("a test").is_shutdown());
    /// ```
    pub fn is_shutdown(&self) -> bool {
        matches!(
            self,
            StopReason::OsSignal { .. } | StopReason::MainReturned | StopReason::StopMain
        )
    }

    /// A reason of the program's own, for
    /// [`go_because`](super::Signal::go_because).
    ///
    /// ```
    /// use more_threads::{Signal, signal::StopReason};
    ///
    /// let please_stop = Signal::named("please_stop");
    /// please_stop.go_because(StopReason::other("the configuration changed"));
    /// let stopped = please_stop.check().unwrap_err();
    /// assert_eq!(stopped.to_string(), "stopped because the configuration changed");
    /// ```
    pub fn other(why: impl Into<Arc<str>>) -> StopReason {
        StopReason::Other { why: why.into() }
    }

    /// The reason of a `go` that was given none: the reason being handed
    /// down, if this thread is running the callbacks of a Signal that went
    /// (a child stopped because its parent was), else the current thread
    /// asking.
    pub(crate) fn of_this_go() -> Arc<StopReason> {
        StopReason::handed_down().unwrap_or_else(|| {
            Arc::new(StopReason::Asked {
                by: crate::local::current_path(),
            })
        })
    }

    /// A Till's reason, shared by every Till: going costs it no allocation.
    pub(crate) fn a_deadline() -> Arc<StopReason> {
        crate::sync::process_once! {
            fn deadline() -> &'static Arc<StopReason> {
                Arc::new(StopReason::Deadline { of: None })
            }
        }
        deadline().clone()
    }

    /// The reason being handed down, if this thread is running the
    /// callbacks of a Signal that went.
    pub(crate) fn handed_down() -> Option<Arc<StopReason>> {
        DELIVERING
            .try_with(|delivering| delivering.borrow().last().cloned())
            .ok()
            .flatten()
    }

    /// Runs `f` (a Signal's callbacks) with `self` as the reason of every
    /// `go` in it that gives none: what a Signal that went sets off goes
    /// for the same reason.
    pub(crate) fn hand_down<R>(self: &Arc<Self>, f: impl FnOnce() -> R) -> R {
        struct Pop;
        impl Drop for Pop {
            fn drop(&mut self) {
                let _ = DELIVERING.try_with(|delivering| delivering.borrow_mut().pop());
            }
        }
        // Not while the thread's locals are destroyed (a Signal dropped
        // there may go): its callbacks then go for reasons of their own.
        let pushed = DELIVERING.try_with(|delivering| delivering.borrow_mut().push(self.clone()));
        let _pop = pushed.is_ok().then_some(Pop);
        f()
    }
}

const_thread_local! {
    /// The reasons of the Signals whose callbacks this thread is running,
    /// innermost last.
    static DELIVERING: RefCell<Vec<Arc<StopReason>>> = RefCell::new(Vec::new());
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StopReason::Asked { by } => write!(f, "{by} asked"),
            StopReason::ParentEnded { parent } => write!(f, "its parent {parent} ended"),
            StopReason::SiblingFailed { sibling, summary } => {
                write!(f, "{sibling} failed: {summary}")
            }
            StopReason::SiblingSucceeded { sibling } => write!(f, "{sibling} succeeded first"),
            StopReason::ScopeEnded { owner, early: true } => {
                write!(f, "the scope in {owner} was left early")
            }
            StopReason::ScopeEnded {
                owner,
                early: false,
            } => {
                write!(f, "the scope in {owner} ended")
            }
            StopReason::Deadline { of: Some(of) } => write!(f, "the deadline of {of} passed"),
            StopReason::Deadline { of: None } => f.write_str("its deadline passed"),
            StopReason::OsSignal { name } => write!(f, "{name} asked the process to stop"),
            StopReason::MainReturned => f.write_str("main's body returned"),
            StopReason::StopMain => f.write_str("stop_main() was called"),
            StopReason::Restart { thread } => {
                write!(f, "{thread} ended an attempt, to restart")
            }
            StopReason::SupervisorRestart {
                supervisor,
                because_of,
                ended,
                all,
            } => {
                let which = if *all {
                    "all its children".to_owned()
                } else {
                    format!("{because_of} and the children started after it")
                };
                write!(f, "{supervisor} restarts {which}: {because_of} {ended}")
            }
            StopReason::SupervisorEnded { supervisor, why } => {
                write!(f, "the supervisor {supervisor} ends: {why}")
            }
            StopReason::ProcessExited { process, status } => {
                write!(f, "process {process} exited ({status})")
            }
            StopReason::Other { why } => f.write_str(why),
        }
    }
}

/// One line of `text`, for a reason that quotes a failure: up to its first
/// line break, or to the `; then` before the later failures it lists, with
/// ` …` when it was cut.
pub(crate) fn one_line(text: &str) -> Arc<str> {
    let end = [text.find('\n'), text.find("; then ")]
        .into_iter()
        .flatten()
        .min();
    match end {
        Some(end) => format!("{} …", &text[..end]).into(),
        None => text.into(),
    }
}
