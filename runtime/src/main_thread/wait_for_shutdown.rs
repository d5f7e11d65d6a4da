//! [`wait_for_shutdown_signal`]: main waits for SIGINT or SIGTERM, a Signal
//! of its own, `exit` on stdin, or the end of its children.

use crate::signal::Signal;
use crate::sync::real::thread;
use crate::thread::current::root;
use crate::thread::node::Kind;
use std::io::BufRead;

/// What ended [`wait_for_shutdown_signal`].
///
/// ```
/// use more_threads::{main_thread::ShutdownCause, main_thread::ShutdownSignals, Signal, wait_for_shutdown_signal};
///
/// let ready = Signal::new();
/// ready.go();
/// let cause = wait_for_shutdown_signal(ShutdownSignals::new().or(&ready));
/// assert_eq!(cause, ShutdownCause::Signal);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ShutdownCause {
    /// main's `please_stop` went: SIGINT, SIGTERM or [`stop_main`](super::stop_main).
    PleaseStop,
    /// The extra Signal given with [`ShutdownSignals::or`] went.
    Signal,
    /// `exit` was typed on stdin.
    StdinExit,
    /// main has no running children left.
    ChildrenDone,
}

/// What [`wait_for_shutdown_signal`] waits for besides main's `please_stop`.
///
/// ```
/// use more_threads::{main_thread::ShutdownSignals, Signal};
///
/// let ready = Signal::new();
/// let options = ShutdownSignals::new().or(&ready).stdin_exit(false).children_done(true);
/// ```
#[derive(Debug, Clone, Default)]
#[must_use = "pass it to wait_for_shutdown_signal"]
pub struct ShutdownSignals {
    also: Option<Signal>,
    stdin_exit: bool,
    children_done: bool,
}

impl ShutdownSignals {
    /// Only main's `please_stop` (SIGINT, SIGTERM, [`stop_main`](super::stop_main)).
    ///
    /// ```
    /// let options = more_threads::main_thread::ShutdownSignals::new();
    /// ```
    pub fn new() -> ShutdownSignals {
        ShutdownSignals::default()
    }

    /// Also end when `signal` goes.
    ///
    /// ```
    /// let options = more_threads::main_thread::ShutdownSignals::new().or(&more_threads::Till::seconds(60.0));
    /// ```
    pub fn or(mut self, signal: &Signal) -> ShutdownSignals {
        self.also = Some(match self.also {
            Some(also) => also.or(signal),
            None => signal.clone(),
        });
        self
    }

    /// Also end when a line reading `exit` arrives on stdin (opt-in).
    ///
    /// ```
    /// let options = more_threads::main_thread::ShutdownSignals::new().stdin_exit(true);
    /// ```
    pub fn stdin_exit(mut self, enabled: bool) -> ShutdownSignals {
        self.stdin_exit = enabled;
        self
    }

    /// Also end when main has no running children left (opt-in).
    ///
    /// ```
    /// let options = more_threads::main_thread::ShutdownSignals::new().children_done(true);
    /// ```
    pub fn children_done(mut self, enabled: bool) -> ShutdownSignals {
        self.children_done = enabled;
        self
    }
}

/// Blocks until main's `please_stop` goes (SIGINT, SIGTERM, [`stop_main`](super::stop_main)) or
/// one of the opt-in `options` happens; says which.
///
/// ```
/// use more_threads::{main_thread::ShutdownCause, main_thread::ShutdownSignals, Thread, Till, wait_for_shutdown_signal};
///
/// let job = Thread::run("job", |_| Till::seconds(0.01).wait())?;
/// let cause = wait_for_shutdown_signal(ShutdownSignals::new().children_done(true));
/// assert_eq!(cause, ShutdownCause::ChildrenDone);
/// job.join()?;
/// # Ok::<(), more_threads::ThreadError>(())
/// ```
pub fn wait_for_shutdown_signal(options: ShutdownSignals) -> ShutdownCause {
    let root = root();
    let mut ended = root.please_stop.clone();
    if let Some(also) = &options.also {
        ended = ended.or(also);
    }
    let stdin_exit = options.stdin_exit.then(watch_stdin);
    if let Some(exit) = &stdin_exit {
        ended = ended.or(exit);
    }
    loop {
        let running: Vec<Signal> = if options.children_done {
            root.children()
                .iter()
                .filter(|child| child.kind != Kind::Unregistered && !child.stopped.is_go())
                .map(|child| child.stopped.clone())
                .collect()
        } else {
            Vec::new()
        };
        if options.children_done && running.is_empty() {
            return ShutdownCause::ChildrenDone;
        }
        let mut wake = ended.clone();
        if let Some(first) = running.first() {
            wake = wake.or(first);
        }
        wake.wait();
        if root.please_stop.is_go() {
            return ShutdownCause::PleaseStop;
        }
        if options.also.as_ref().is_some_and(Signal::is_go) {
            return ShutdownCause::Signal;
        }
        if stdin_exit.as_ref().is_some_and(Signal::is_go) {
            return ShutdownCause::StdinExit;
        }
    }
}

/// A Signal that goes when a line reading `exit` arrives on stdin (or stdin ends).
fn watch_stdin() -> Signal {
    let exit = Signal::named("exit on stdin");
    let went = exit.clone();
    let reader = thread::Builder::new()
        .name("stdin-exit".to_owned())
        .spawn(move || {
            for line in std::io::stdin().lock().lines() {
                match line {
                    Ok(line) if line.trim() == "exit" => break,
                    Ok(_) => {}
                    Err(_) => return,
                }
            }
            went.go();
        });
    if let Err(error) = reader {
        report!(
            Error,
            "more_threads::thread",
            "cannot watch stdin for `exit`: {error}"
        );
    }
    exit
}
