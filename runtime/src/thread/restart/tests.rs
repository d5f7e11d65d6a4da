//! Restart policies, on real threads.

use crate::signal::Signal;
use crate::sync::Arc;
use crate::sync::real::Mutex;
use crate::test_support::{self as test_log, eventually};
use crate::thread::{Restart, Thread, ThreadErrorKind, dump};
use std::time::{Duration, Instant};

fn quick(at_most: u32) -> Restart {
    Restart::on_failure()
        .backoff(Duration::from_millis(20), Duration::from_secs(1))
        .at_most(at_most, Duration::from_secs(600))
}

#[test]
fn a_thread_that_fails_twice_then_succeeds_is_restarted_twice_with_a_growing_backoff() {
    test_log::capture();
    let attempts: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let thread = {
        let attempts = attempts.clone();
        Thread::builder("flaky-twice")
            .restart(quick(5))
            .spawn(move |_please_stop| {
                let mut attempts = attempts.lock();
                attempts.push(Instant::now());
                match attempts.len() {
                    1 | 2 => Err(format!("attempt {} broke", attempts.len())),
                    n => Ok(n),
                }
            })
            .unwrap()
    };
    assert_eq!(thread.join().unwrap(), 3, "the third attempt's value");
    let at = attempts.lock().clone();
    assert!(
        at[1] - at[0] >= Duration::from_millis(20),
        "first backoff {:?}",
        at[1] - at[0]
    );
    assert!(
        at[2] - at[1] >= Duration::from_millis(40),
        "the second backoff doubles: {:?}",
        at[2] - at[1]
    );
    let logged = test_log::records_mentioning("/flaky-twice in ");
    assert_eq!(logged.len(), 2, "each restart is logged: {logged:#?}");
    assert!(
        logged[0].starts_with("WARN more_threads::restart")
            && logged[0].contains("(restart 1, at most 5")
            && logged[0].contains("it failed: attempt 1 broke")
            && logged[0].contains("thread=flaky-twice"),
        "{}",
        logged[0]
    );
    assert!(
        logged[1].contains("(restart 2,") && logged[1].contains("attempt 2 broke"),
        "{}",
        logged[1]
    );
}

#[test]
fn one_that_always_fails_gives_up_after_the_limit_and_fails_with_its_last_failure() {
    test_log::capture();
    let attempts = Arc::new(Mutex::new(0_u32));
    let thread = {
        let attempts = attempts.clone();
        Thread::builder("always-fails")
            .restart(quick(3))
            .spawn(move |_please_stop| -> Result<(), String> {
                let mut attempts = attempts.lock();
                *attempts += 1;
                Err(format!("attempt {attempts} broke"))
            })
            .unwrap()
    };
    let error = thread.join().unwrap_err();
    assert_eq!(*attempts.lock(), 4, "the first attempt and 3 restarts");
    assert_eq!(error.kind(), ThreadErrorKind::Failed);
    let described = format!("{error:#}");
    assert!(
        described.ends_with("/always-fails failed: attempt 4 broke"),
        "{described}"
    );
    assert_eq!(test_log::records_mentioning("/always-fails in ").len(), 3);
}

#[test]
fn a_parent_sees_the_failure_of_a_child_that_gave_up() {
    let parent = Thread::run("gives-up-parent", |_| {
        // Dropped unjoined once it gave up (not before: the parent's end
        // would stop it between two runs, a quiet stop), so that its
        // failure is the parent's to fold in.
        let child = Thread::builder("gives-up-child")
            .restart(quick(1))
            .spawn(|_| -> Result<(), &str> { Err("always") })?;
        child.stopped().wait();
        drop(child);
        Ok::<_, crate::thread::ThreadError>(())
    })
    .unwrap();
    let described = format!("{:#}", parent.join().unwrap_err());
    assert!(
        described.contains("/gives-up-parent failed: thread ")
            && described.ends_with("/gives-up-parent/gives-up-child failed: always"),
        "{described}"
    );
}

#[test]
fn a_panic_is_restarted_and_if_it_gives_up_the_thread_failed_by_panicking() {
    let thread = Thread::builder("panics")
        .restart(quick(1))
        .spawn(|_| -> () { panic!("out of cheese") })
        .unwrap();
    let error = thread.join().unwrap_err();
    assert_eq!(error.kind(), ThreadErrorKind::Panicked);
    assert_eq!(error.panic().unwrap().message(), "out of cheese");
}

#[test]
fn please_stop_during_a_backoff_ends_it_at_once_as_a_quiet_stop() {
    let failed = Signal::named("failed once");
    let thread = {
        let failed = failed.clone();
        Thread::builder("stopped-in-backoff")
            .restart(
                Restart::on_failure()
                    .backoff(Duration::from_secs(3600), Duration::from_secs(3600))
                    .at_most(5, Duration::from_secs(3600)),
            )
            .spawn(move |_please_stop| -> Result<(), &str> {
                failed.go();
                Err("broke")
            })
            .unwrap()
    };
    failed.wait();
    eventually("the thread waits in its backoff", || {
        dump()
            .threads()
            .any(|entry| entry.path().ends_with("/stopped-in-backoff") && entry.restarts() == 1)
    });
    let asked = Instant::now();
    thread.stop();
    let error = thread.join().unwrap_err();
    assert_eq!(error.kind(), ThreadErrorKind::Stopped, "{error:#}");
    assert!(
        asked.elapsed() < Duration::from_secs(600),
        "not the hour's backoff"
    );
}

#[test]
fn a_stopped_attempt_or_a_value_is_not_restarted() {
    let attempts = Arc::new(Mutex::new(0_u32));
    let stopped = {
        let attempts = attempts.clone();
        Thread::builder("stops-quietly")
            .restart(quick(5))
            .spawn(move |please_stop| {
                *attempts.lock() += 1;
                please_stop.wait();
                please_stop.check()
            })
            .unwrap()
    };
    stopped.stop();
    assert_eq!(stopped.join().unwrap_err().kind(), ThreadErrorKind::Stopped);
    assert_eq!(*attempts.lock(), 1);
}

#[test]
fn the_dump_shows_the_restart_count() {
    let second_attempt = Signal::named("second attempt");
    let thread = {
        let second_attempt = second_attempt.clone();
        let mut attempts = 0;
        Thread::builder("counted")
            .restart(quick(5))
            .spawn(move |please_stop| -> Result<(), &str> {
                attempts += 1;
                if attempts == 1 {
                    return Err("first");
                }
                second_attempt.go();
                please_stop.wait();
                Ok(())
            })
            .unwrap()
    };
    second_attempt.wait();
    let drawn = dump().to_string();
    assert!(
        drawn
            .lines()
            .any(|line| line.contains("counted (") && line.ends_with(", restarted 1×")),
        "{drawn}"
    );
    thread.stop();
    thread.join().unwrap();
}

#[test]
fn an_attempts_children_end_before_the_next_attempt_begins() {
    let attempts = Arc::new(Mutex::new(0_u32));
    let thread = {
        let attempts = attempts.clone();
        Thread::builder("with-children")
            .restart(quick(5))
            .spawn(move |_please_stop| {
                let attempt = {
                    let mut attempts = attempts.lock();
                    *attempts += 1;
                    *attempts
                };
                // The same name each attempt: it would be refused if the
                // last attempt's child were still there.
                let child = Thread::run("child", |please_stop| please_stop.wait())?;
                child.release();
                if attempt < 3 {
                    return Err(format!("attempt {attempt}").into());
                }
                Ok::<_, crate::thread::BoxError>(attempt)
            })
            .unwrap()
    };
    assert_eq!(thread.join().unwrap(), 3);
}

/// A failure whose `Drop` panics, once: the first attempt's `Err`.
#[derive(Debug)]
struct PanicsWhenDropped;

impl std::fmt::Display for PanicsWhenDropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("broke, and will panic when dropped")
    }
}

impl std::error::Error for PanicsWhenDropped {}

impl Drop for PanicsWhenDropped {
    fn drop(&mut self) {
        panic!("the failure's drop panicked");
    }
}

#[test]
fn a_failure_whose_drop_panics_is_restarted_as_logged_and_the_drop_panic_reported_once() {
    test_log::capture();
    let mut attempts = 0;
    let thread = Thread::builder("hostile-failure")
        .restart(quick(5))
        .spawn(move |_please_stop| {
            attempts += 1;
            match attempts {
                1 => Err(PanicsWhenDropped),
                n => Ok(n),
            }
        })
        .unwrap();
    let joined = thread.join();
    assert_eq!(
        joined.as_ref().ok(),
        Some(&2),
        "the restart that was logged happened, and the second attempt's value was joined: {joined:?}"
    );
    let restarts = test_log::records_mentioning("/hostile-failure in ");
    assert_eq!(restarts.len(), 1, "one restart, logged once: {restarts:#?}");
    let drop_panics = test_log::records_mentioning("the failure's drop panicked");
    assert_eq!(
        drop_panics.len(),
        1,
        "the drop's panic is reported exactly once: {drop_panics:#?}"
    );
    assert!(
        drop_panics[0].starts_with("ERROR ")
            && drop_panics[0].contains("/hostile-failure")
            && drop_panics[0].contains("thread=hostile-failure"),
        "the report names the thread: {}",
        drop_panics[0]
    );
}
