//! [`Repeat`]: a closure run on a fixed schedule, on its own named thread.

use crate::signal::Signal;
use crate::thread::BoxError;
use crate::thread::Outcome;
use crate::thread::Thread;
use crate::thread::ThreadError;
use crate::thread::ThreadName;
use crate::till::Till;
use std::fmt;
use std::time::{Duration, Instant};

#[cfg(all(test, not(loom)))]
mod tests;

/// Runs a closure every `period` on its own named thread, a child of the
/// thread that made it, until asked to stop.
///
/// The runs are scheduled by deadline, not by sleeping after each run: run
/// `k` starts at `start + k * period` (the first at once), however long the
/// runs take, so the schedule does not drift. A run that overruns its period
/// makes the runs it overlapped be skipped, not bunched: the next run is at
/// the next point of the schedule still in the future.
///
/// The closure gets the thread's `please_stop` and returns `()` or a
/// `Result`: an `Err` (or a panic) ends the repeat, as the thread's failure.
/// It stops when [`stop`](Repeat::stop) is called, when the handle is
/// dropped, or when its parent ends; a run in progress is not interrupted
/// (it can watch `please_stop`), and no run starts after the stop.
///
/// ```
/// use more_threads::{Repeat, Till};
/// use std::sync::atomic::{AtomicU32, Ordering};
/// use std::sync::Arc;
/// use std::time::Duration;
///
/// let ticks = Arc::new(AtomicU32::new(0));
/// let ticker = {
///     let ticks = ticks.clone();
///     Repeat::every("ticker", Duration::from_millis(5), move |_| {
///         ticks.fetch_add(1, Ordering::Relaxed);
///     })?
/// };
/// Till::seconds(0.05).wait();
/// ticker.stop();
/// let runs = ticker.join()?;
/// assert!(runs >= 2);
/// assert_eq!(u64::from(ticks.load(Ordering::Relaxed)), runs);
/// # Ok::<(), more_threads::ThreadError>(())
/// ```
pub struct Repeat {
    thread: Option<Thread<u64>>,
}

impl Repeat {
    /// Starts a thread named `name` that calls `run` every `period`.
    ///
    /// # Errors
    ///
    /// The [`ThreadError`] of a thread that could not start (an invalid name,
    /// or the OS refused).
    ///
    /// # Panics
    ///
    /// If `period` is zero (naming the repeat): that is a busy loop, not a
    /// schedule.
    ///
    /// ```
    /// use more_threads::Repeat;
    /// use std::time::Duration;
    ///
    /// let heartbeat = Repeat::every("heartbeat", Duration::from_secs(1), |_| {
    ///     println!("still alive");
    /// })?;
    /// heartbeat.stop(); // perhaps before the first run: no run starts after a stop
    /// assert!(heartbeat.join()? <= 1);
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn every<O, F>(
        name: impl ThreadName,
        period: Duration,
        run: F,
    ) -> Result<Repeat, ThreadError>
    where
        F: FnMut(&Signal) -> O + Send + 'static,
        O: Outcome<Value = ()>,
    {
        let name = name.thread_name();
        Repeat::builder(name, period).run(run)
    }

    /// A builder for a repeat that starts later, or ends on its own: when a
    /// Signal goes (a Till, say).
    ///
    /// # Panics
    ///
    /// If `period` is zero, as [`every`](Repeat::every).
    ///
    /// ```
    /// use more_threads::{Repeat, Till};
    /// use std::time::Duration;
    ///
    /// let polls = Repeat::builder("poll", Duration::from_millis(2))
    ///     .start_after(Duration::from_millis(5))
    ///     .until(&Till::seconds(0.03)) // ends by itself
    ///     .run(|_| ())?;
    /// let runs = polls.join()?; // no stop() needed: the till ends it
    /// assert!(runs >= 1);
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn builder(name: impl ThreadName, period: Duration) -> RepeatBuilder {
        let name = name.thread_name();
        assert!(
            !period.is_zero(),
            "Repeat {name:?} needs a period longer than zero: a zero period is a busy loop"
        );
        RepeatBuilder {
            name: name.to_owned(),
            period,
            start: None,
            end: None,
        }
    }

    /// Asks the repeat to stop: no run starts after this; does not wait.
    ///
    /// ```
    /// let repeat = more_threads::Repeat::every("r", std::time::Duration::from_secs(60), |_| ())?;
    /// repeat.stop();
    /// assert!(repeat.please_stop().is_go());
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn stop(&self) {
        if let Some(thread) = &self.thread {
            thread.stop();
        }
    }

    /// The repeat thread's stop signal.
    ///
    /// ```
    /// let repeat = more_threads::Repeat::every("r", std::time::Duration::from_secs(60), |_| ())?;
    /// assert!(!repeat.please_stop().is_go());
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn please_stop(&self) -> &Signal {
        self.thread().please_stop()
    }

    /// The Signal that goes when the repeat thread has ended.
    ///
    /// ```
    /// let repeat = more_threads::Repeat::every("r", std::time::Duration::from_secs(60), |_| ())?;
    /// repeat.stop();
    /// repeat.stopped().wait();
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn stopped(&self) -> &Signal {
        self.thread().stopped()
    }

    /// The repeat thread's name.
    ///
    /// ```
    /// let repeat = more_threads::Repeat::every("poll", std::time::Duration::from_secs(60), |_| ())?;
    /// assert_eq!(repeat.name(), "poll");
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn name(&self) -> &str {
        self.thread().name()
    }

    /// Waits for the repeat to end (call [`stop`](Repeat::stop) first, or it
    /// runs until its parent ends) and returns how many runs it made.
    ///
    /// # Errors
    ///
    /// The closure's `Err` or panic, with the thread's name and path.
    ///
    /// ```
    /// use more_threads::Repeat;
    /// use std::time::Duration;
    ///
    /// let once = Repeat::every("once", Duration::from_millis(1), |_| Err::<(), _>("give up"))?;
    /// let error = once.join().unwrap_err();
    /// assert!(format!("{error:#}").ends_with("once failed: give up"));
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn join(mut self) -> Result<u64, ThreadError> {
        match self.thread.take() {
            Some(thread) => thread.join(),
            None => Ok(0),
        }
    }

    fn thread(&self) -> &Thread<u64> {
        match &self.thread {
            Some(thread) => thread,
            None => unreachable!("a Repeat holds its thread until join() consumes it"),
        }
    }
}

/// How a [`Repeat`] runs: when it starts, and what ends it besides a stop.
/// Made by [`Repeat::builder`].
///
/// ```
/// use more_threads::Repeat;
/// use std::time::{Duration, Instant};
///
/// let nightly = Repeat::builder("nightly", Duration::from_secs(24 * 3600))
///     .start_at(Instant::now() + Duration::from_secs(3600));
/// ```
#[derive(Debug)]
#[must_use = "a builder starts nothing until run()"]
pub struct RepeatBuilder {
    name: String,
    period: Duration,
    start: Option<Instant>,
    end: Option<Signal>,
}

impl RepeatBuilder {
    /// The first run at `start` (at once if it has passed), the schedule
    /// counted from it.
    ///
    /// ```
    /// let later = more_threads::Repeat::builder("later", std::time::Duration::from_secs(1))
    ///     .start_at(std::time::Instant::now());
    /// ```
    pub fn start_at(mut self, start: Instant) -> RepeatBuilder {
        self.start = Some(start);
        self
    }

    /// The first run `delay` from now.
    ///
    /// ```
    /// let later = more_threads::Repeat::builder("later", std::time::Duration::from_secs(1))
    ///     .start_after(std::time::Duration::from_secs(5));
    /// ```
    pub fn start_after(self, delay: Duration) -> RepeatBuilder {
        match Instant::now().checked_add(delay) {
            Some(start) => self.start_at(start),
            // Further than an Instant holds: it never starts on its own.
            None => self.until(&Signal::gone()),
        }
    }

    /// Ends the repeat, as a stop does, when `end` goes: no run starts
    /// after it; the thread ends and joins with its count.
    ///
    /// ```
    /// let done = more_threads::Signal::new();
    /// let repeat = more_threads::Repeat::builder("r", std::time::Duration::from_millis(1))
    ///     .until(&done)
    ///     .run(|_| ())?;
    /// done.go();
    /// repeat.join()?;
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn until(mut self, end: &Signal) -> RepeatBuilder {
        self.end = Some(match self.end {
            Some(earlier) => earlier.or(end),
            None => end.clone(),
        });
        self
    }

    /// Starts the thread, a child of the current thread, that calls `run`
    /// on the schedule.
    ///
    /// # Errors
    ///
    /// As [`Repeat::every`].
    ///
    /// ```
    /// let ticker = more_threads::Repeat::builder("ticker", std::time::Duration::from_secs(1)).run(|_| ())?;
    /// ticker.stop();
    /// ticker.join()?;
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn run<O, F>(self, mut run: F) -> Result<Repeat, ThreadError>
    where
        F: FnMut(&Signal) -> O + Send + 'static,
        O: Outcome<Value = ()>,
    {
        let RepeatBuilder {
            name,
            period,
            start,
            end,
        } = self;
        let thread = Thread::run(
            &name,
            move |please_stop: &Signal| -> Result<u64, BoxError> {
                // Ends on a stop, or when the end goes.
                let over = match &end {
                    Some(end) => please_stop | end,
                    None => please_stop.clone(),
                };
                let mut runs = 0_u64;
                let mut next = Some(start.unwrap_or_else(Instant::now));
                if let Some(first) = start {
                    (&over | Till::at(first)).wait();
                }
                while !over.is_go() {
                    run(please_stop).into_result()?;
                    runs += 1;
                    next = next.and_then(|due| next_due(due, period, Instant::now()));
                    match next {
                        Some(due) => (&over | Till::at(due)).wait(),
                        // Beyond what an Instant can hold: never again on its own.
                        None => over.wait(),
                    }
                }
                Ok(runs)
            },
        )?;
        Ok(Repeat {
            thread: Some(thread),
        })
    }
}

/// When the run after one due at `due` is due: the next point of the
/// schedule `due + k * period` (k ≥ 1) that is after `now`; `None` past the
/// end of time.
fn next_due(due: Instant, period: Duration, now: Instant) -> Option<Instant> {
    let next = due.checked_add(period)?;
    if next > now {
        return Some(next);
    }
    // Overran: skip the points that already passed.
    let behind = now.duration_since(next).as_nanos();
    let skipped = behind / period.as_nanos() + 1;
    let skip = u32::try_from(skipped).ok()?;
    next.checked_add(period.checked_mul(skip)?)
}

impl Drop for Repeat {
    /// Stops the repeat without waiting; its parent joins it when it ends
    /// (and takes any failure into its own outcome).
    fn drop(&mut self) {
        self.stop();
    }
}

impl fmt::Debug for Repeat {
    /// `Repeat(Thread("main/ticker", running))`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.thread {
            Some(thread) => f.debug_tuple("Repeat").field(thread).finish(),
            None => f.write_str("Repeat(joined)"),
        }
    }
}

#[cfg(all(test, not(loom)))]
mod schedule_tests {
    use super::next_due;
    use std::time::{Duration, Instant};

    #[test]
    fn the_next_run_is_one_period_after_the_last_one_was_due_not_after_it_ended() {
        let start = Instant::now();
        let period = Duration::from_millis(10);
        let ran_late = start + Duration::from_millis(3);
        assert_eq!(next_due(start, period, ran_late), Some(start + period));
    }

    #[test]
    fn an_overrun_skips_the_points_that_passed_and_stays_on_the_schedule() {
        let start = Instant::now();
        let period = Duration::from_millis(10);
        let overran = start + Duration::from_millis(35);
        assert_eq!(
            next_due(start, period, overran),
            Some(start + Duration::from_millis(40)),
            "runs at 10, 20 and 30 are skipped, not bunched"
        );
    }
}
