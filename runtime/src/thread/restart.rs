//! [`Restart`]: a thread that fails is started again, by policy, as an
//! Erlang/OTP supervisor restarts its children: after a backoff that grows,
//! at most so many times within a window, and never once it was asked to
//! stop.
//!
//! The restarts happen inside the thread: its node, name, path and
//! `please_stop` stay the same, each attempt's children are ended before
//! the next begins, and `dump()` shows how many restarts there were. Each
//! restart is logged (WARN, target `more_threads::restart`) with its count
//! and the failure that caused it; past the limit the thread fails with its
//! last failure, exactly as a thread without a policy would. A failure is
//! dropped once its restart is logged: if its `Drop` panics, that panic is
//! reported (ERROR, same target, naming the thread) and the restart goes
//! ahead as logged.

use super::builder::Builder;
use super::current;
use super::error::{Panic, ThreadError};
use super::handle::Thread;
use super::node::Node;
use super::worker::{BoxError, Outcome};
use crate::signal::{Signal, Stopped};
use crate::till::Till;
use std::collections::VecDeque;
use std::error::Error;
use std::fmt;
use std::time::{Duration, Instant};

/// When a thread that failed is started again: a restart policy.
///
/// "Failed" is what fails a thread: a panic, or an `Err` that is not a
/// quiet stop ([`Stopped`]). A worker that returns a value, or stops because
/// it was asked to, is not restarted. Between attempts the thread waits a
/// backoff, from [`backoff`](Restart::backoff)'s first value doubling up to
/// its maximum; when there would be more than [`at_most`](Restart::at_most)
/// restarts within its window, the thread gives up and fails with the last
/// failure. Its `please_stop` always wins: asked to stop during a backoff,
/// it ends at once, as a quiet stop (the failures before were logged).
///
/// ```
/// use more_threads::{thread::Restart, Thread};
/// use std::time::Duration;
///
/// let policy = Restart::on_failure()
///     .backoff(Duration::from_millis(1), Duration::from_millis(10))
///     .at_most(3, Duration::from_secs(60));
/// let mut attempts = 0;
/// let flaky = Thread::builder("flaky").restart(policy).spawn(move |_please_stop| {
///     attempts += 1;
///     if attempts < 3 { Err(format!("attempt {attempts} broke")) } else { Ok(attempts) }
/// })?;
/// assert_eq!(flaky.join()?, 3); // failed twice, restarted twice
/// # Ok::<(), more_threads::ThreadError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Restart {
    first_backoff: Duration,
    max_backoff: Duration,
    at_most: u32,
    within: Duration,
}

impl Restart {
    /// Restart on failure, after 100 ms doubling up to 10 s, at most 5
    /// times within a minute.
    ///
    /// ```
    /// let policy = more_threads::thread::Restart::on_failure();
    /// assert_eq!(policy.limit(), (5, std::time::Duration::from_secs(60)));
    /// ```
    pub fn on_failure() -> Restart {
        Restart {
            first_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(10),
            at_most: 5,
            within: Duration::from_secs(60),
        }
    }

    /// Waits `first` before the first restart, and twice as long before
    /// each next one, up to `max` (a `max` below `first` is `first`).
    ///
    /// ```
    /// use more_threads::thread::Restart;
    /// use std::time::Duration;
    ///
    /// let policy = Restart::on_failure().backoff(Duration::from_secs(1), Duration::from_secs(30));
    /// assert_eq!(policy.backoffs().take(6).collect::<Vec<_>>(),
    ///     [1, 2, 4, 8, 16, 30].map(Duration::from_secs));
    /// ```
    pub fn backoff(mut self, first: Duration, max: Duration) -> Restart {
        self.first_backoff = first;
        self.max_backoff = max.max(first);
        self
    }

    /// Gives up when there would be more than `restarts` restarts within
    /// `within`: the thread then fails with its last failure. `at_most(0, _)`
    /// never restarts.
    ///
    /// ```
    /// use std::time::Duration;
    /// let policy = more_threads::thread::Restart::on_failure().at_most(10, Duration::from_secs(3600));
    /// assert_eq!(policy.limit(), (10, Duration::from_secs(3600)));
    /// ```
    pub fn at_most(mut self, restarts: u32, within: Duration) -> Restart {
        self.at_most = restarts;
        self.within = within;
        self
    }

    /// The limit: how many restarts, within how long.
    ///
    /// ```
    /// let (restarts, _within) = more_threads::thread::Restart::on_failure().limit();
    /// assert_eq!(restarts, 5);
    /// ```
    pub fn limit(&self) -> (u32, Duration) {
        (self.at_most, self.within)
    }

    /// The backoffs before the first restart, the second, and so on.
    ///
    /// ```
    /// use std::time::Duration;
    /// let mut backoffs = more_threads::thread::Restart::on_failure().backoffs();
    /// assert_eq!(backoffs.next(), Some(Duration::from_millis(100)));
    /// assert_eq!(backoffs.next(), Some(Duration::from_millis(200)));
    /// ```
    pub fn backoffs(&self) -> impl Iterator<Item = Duration> + use<> {
        let max = self.max_backoff;
        std::iter::successors(Some(self.first_backoff), move |last| {
            Some(last.saturating_mul(2).min(max))
        })
    }
}

impl Default for Restart {
    /// [`Restart::on_failure`].
    fn default() -> Restart {
        Restart::on_failure()
    }
}

/// A thread about to start with a restart policy; made by
/// [`Builder::restart`].
///
/// ```
/// use more_threads::{thread::Restart, Thread};
///
/// let builder = Thread::builder("service").restart(Restart::on_failure());
/// let service = builder.spawn(|please_stop| please_stop.wait())?;
/// service.stop();
/// service.join()?;
/// # Ok::<(), more_threads::ThreadError>(())
/// ```
#[must_use = "a builder does nothing until spawn()"]
#[derive(Debug)]
pub struct Restarting {
    builder: Builder,
    policy: Restart,
}

impl Builder {
    /// Restarts the thread by `policy` when it fails: its worker is called
    /// again, so it is an `FnMut`.
    ///
    /// ```
    /// use more_threads::{thread::Restart, Thread};
    /// use std::time::Duration;
    ///
    /// let never_again = Restart::on_failure().at_most(0, Duration::ZERO);
    /// let once = Thread::builder("once").restart(never_again).spawn(|_| Err::<(), _>("broke"))?;
    /// assert!(once.join().is_err()); // no restart allowed: it fails as it would without one
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn restart(self, policy: Restart) -> Restarting {
        Restarting {
            builder: self,
            policy,
        }
    }
}

impl Restarting {
    /// Starts the thread now; it runs `worker` until it succeeds, stops, or
    /// fails past the policy's limit.
    ///
    /// # Errors
    ///
    /// As [`Builder::spawn`].
    ///
    /// ```
    /// use more_threads::{thread::Restart, Thread};
    /// let thread = Thread::builder("t").restart(Restart::on_failure()).spawn(|_| 7_u8)?;
    /// assert_eq!(thread.join()?, 7);
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    #[track_caller]
    pub fn spawn<O, W, T>(self, worker: W) -> Result<Thread<T>, ThreadError>
    where
        O: Outcome<Value = T>,
        W: FnMut(&Signal) -> O + Send + 'static,
        T: Send + 'static,
    {
        let policy = self.policy;
        self.builder
            .spawn(move |please_stop: &Signal| with_restarts(policy, please_stop, worker))
    }
}

/// Runs `worker` on the current thread until it succeeds, stops, or fails
/// past `policy`'s limit; logs each restart.
pub(crate) fn with_restarts<O, T>(
    policy: Restart,
    please_stop: &Signal,
    mut worker: impl FnMut(&Signal) -> O,
) -> Result<T, BoxError>
where
    O: Outcome<Value = T>,
{
    let node = current::current();
    let mut recent: VecDeque<Instant> = VecDeque::new();
    let mut backoffs = policy.backoffs();
    loop {
        let failure: BoxError = match crate::panic::catch(|| worker(please_stop).into_result()) {
            Ok(Ok(value)) => return Ok(value),
            Ok(Err(error)) => error,
            // Handed on as a `Panic`, so that the thread, if it gives up,
            // fails as "panicked", with the backtrace.
            Err(caught) => Box::new(Panic::from(caught)),
        };
        if Stopped::find_in(&*failure).is_some() || please_stop.is_go() {
            return Err(failure);
        }
        let now = Instant::now();
        while recent
            .front()
            .is_some_and(|at| now.duration_since(*at) >= policy.within)
        {
            recent.pop_front();
        }
        if recent.len() >= policy.at_most as usize {
            // Given up: the thread fails with this failure, and its end
            // folds in the last attempt's children, as any thread's does.
            return Err(failure);
        }
        // The attempt's children end with it; their failures are logged
        // with the restart.
        let children = node.end_children_between_attempts();
        recent.push_back(now);
        let count = node.restarted();
        let backoff = backoffs.next().unwrap_or(policy.max_backoff);
        report!(
            Warn,
            "more_threads::restart",
            about: (&*node.name, &*node.path),
            "restarting {} in {:.1?} (restart {count}, at most {} within {:.0?}): it failed: {}{}",
            node.path,
            backoff,
            policy.at_most,
            policy.within,
            Chain(&*failure),
            Children(&children)
        );
        // Logged, so done with. Before the backoff, not at the end of the
        // loop: their `Drop` is the user's code and may panic, which must
        // neither unwind out of the restart the log just announced nor go
        // unreported.
        let_go_of_failure(failure, &node, count);
        for child in children {
            let_go_of_failure(child, &node, count);
        }
        let backoff_over = Till::after(backoff);
        (please_stop | &backoff_over).wait();
        // Asked to stop during the backoff: a quiet stop, at once.
        please_stop.check()?;
    }
}

/// Drops a failure that restart `count` of `node` has logged: the `Err` of
/// the attempt, or a failure of one of its children (which holds the child's
/// `Err`). A panic in its `Drop` is caught and reported once, about `node`;
/// the restart goes ahead.
fn let_go_of_failure<F>(failure: F, node: &Node, count: u32) {
    if let Err(caught) = crate::panic::catch(move || drop(failure)) {
        report!(
            Error,
            "more_threads::restart",
            about: (node.name, node.path),
            "a failure logged with restart {count} of {} panicked in its Drop: {}; the restart goes ahead",
            node.path,
            caught.message
        );
    }
}

/// An error and its `source()` chain, `: `-separated.
struct Chain<'a>(&'a (dyn Error + 'static));

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        crate::error_chain::write_sources(f, self.0)
    }
}

/// `; and its children failed: ...`, if any did.
struct Children<'a>(&'a [ThreadError]);

impl fmt::Display for Children<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, child) in self.0.iter().enumerate() {
            let lead = if index == 0 { "; and " } else { ", " };
            write!(f, "{lead}{child:#}")?;
        }
        Ok(())
    }
}

#[cfg(all(test, not(loom)))]
mod tests;
