//! `ThreadPool`: what it promises, one behaviour per test.

use super::{TaskErrorKind, ThreadPool};
use crate::signal::Signal;
use crate::thread::Thread;
use crate::till::Till;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

#[test]
fn every_task_runs_and_its_handle_returns_its_value() {
    let pool = ThreadPool::new("squares", 3).unwrap();
    let tasks: Vec<_> = (0..20_u64)
        .map(|n| pool.run(format!("square-{n}"), move |_| n * n).unwrap())
        .collect();
    let values: Vec<u64> = tasks.into_iter().map(|task| task.join().unwrap()).collect();
    assert_eq!(values, (0..20).map(|n| n * n).collect::<Vec<_>>());
    pool.close().unwrap();
}

#[test]
fn pool_threads_are_named_children_of_the_creator() {
    let pool = ThreadPool::new("named pool", 2).unwrap();
    let path = pool
        .run("where", |_| {
            crate::thread::Thread::current().path().to_owned()
        })
        .unwrap()
        .join()
        .unwrap();
    let me = Thread::current().path().to_owned();
    assert!(
        path == format!("{me}/named pool-0") || path == format!("{me}/named pool-1"),
        "a task ran on {path}, not on a pool thread under {me}"
    );
    pool.close().unwrap();
}

#[test]
fn close_runs_every_queued_task_before_joining() {
    let ran = Arc::new(AtomicUsize::new(0));
    let pool = ThreadPool::new("closing", 1).unwrap();
    let tasks: Vec<_> = (0..10)
        .map(|n| {
            let ran = ran.clone();
            pool.run(format!("task-{n}"), move |_| {
                ran.fetch_add(1, Ordering::SeqCst);
            })
            .unwrap()
        })
        .collect();
    pool.close().unwrap();
    assert_eq!(
        ran.load(Ordering::SeqCst),
        10,
        "close finished the queued work"
    );
    for task in tasks {
        task.join().unwrap();
    }
}

#[test]
fn stop_asks_running_tasks_to_stop_and_fails_queued_ones_as_not_started() {
    let pool = ThreadPool::new("stopping", 1).unwrap();
    let started = Signal::new();
    let running = {
        let started = started.clone();
        pool.run("running", move |please_stop| {
            started.go();
            please_stop.wait();
            "stopped when asked"
        })
        .unwrap()
    };
    let queued: Vec<_> = (0..3)
        .map(|n| pool.run(format!("queued-{n}"), |_| ()).unwrap())
        .collect();
    started.wait_till(&Till::seconds(30.0));
    pool.stop().unwrap();
    assert_eq!(running.join().unwrap(), "stopped when asked");
    for task in queued {
        let error = task.join().unwrap_err();
        assert_eq!(error.kind(), TaskErrorKind::NotStarted);
        assert!(
            error
                .to_string()
                .contains("never started: the pool was stopped before the task started"),
            "the reason is clear: {error}"
        );
    }
}

#[test]
fn a_panicking_task_fails_its_handle_and_the_pool_goes_on() {
    let pool = ThreadPool::new("resilient", 1).unwrap();
    let failed = pool.run("boom", |_| -> () { panic!("kaboom") }).unwrap();
    let fine = pool.run("fine", |_| 1).unwrap();
    let error = failed.join().unwrap_err();
    assert_eq!(error.kind(), TaskErrorKind::Panicked);
    assert_eq!(error.panic().unwrap().message(), "kaboom");
    assert_eq!(
        error.to_string(),
        r#"task "boom" on pool "resilient" panicked"#,
        "Display says what failed"
    );
    assert_eq!(
        format!("{error:#}"),
        r#"task "boom" on pool "resilient" panicked: kaboom"#,
        "{{:#}} adds why, once"
    );
    assert_eq!(
        fine.join().unwrap(),
        1,
        "the pool thread survived the panic"
    );
    pool.close().unwrap();
}

#[test]
fn a_task_returning_err_fails_its_handle_with_that_error_as_source() {
    let pool = ThreadPool::new("fallible", 1).unwrap();
    let error = pool
        .run("parse", |_| "x".parse::<u8>())
        .unwrap()
        .join()
        .unwrap_err();
    assert_eq!(error.kind(), TaskErrorKind::Failed);
    assert_eq!(error.task(), "parse");
    assert_eq!(error.pool(), "fallible");
    assert!(std::error::Error::source(&error).is_some());
    pool.close().unwrap();
}

#[test]
fn when_the_creator_ends_queued_tasks_fail_as_not_started() {
    let creator = Thread::run("creator", |_| {
        let pool = ThreadPool::new("orphaned", 1).unwrap();
        let started = Signal::new();
        let busy = {
            let started = started.clone();
            pool.run("busy", move |please_stop| {
                started.go();
                please_stop.wait();
            })
            .unwrap()
        };
        let queued = pool.run("queued", |_| ()).unwrap();
        started.wait_till(&Till::seconds(30.0));
        std::mem::forget(pool); // neither closed nor stopped: the creator's end stops its threads
        (busy, queued)
    })
    .unwrap();
    let (busy, queued) = creator.join().unwrap();
    assert!(
        busy.join().is_ok(),
        "the running task was asked to stop, and returned"
    );
    assert_eq!(queued.join().unwrap_err().kind(), TaskErrorKind::NotStarted);
}

#[test]
fn run_after_the_pool_threads_were_stopped_fails_at_once() {
    let pool = ThreadPool::new("stopped under us", 1).unwrap();
    for thread in &pool.threads {
        thread.stop();
    }
    pool.jobs.closed().wait_till(&Till::seconds(30.0));
    let error = pool.run("late", |_| ()).unwrap_err();
    assert_eq!(error.kind(), TaskErrorKind::NotStarted);
}

#[test]
fn dropping_the_pool_finishes_the_queued_work() {
    let ran = Arc::new(AtomicUsize::new(0));
    let task = {
        let pool = ThreadPool::new("dropped", 1).unwrap();
        let ran = ran.clone();
        pool.run("work", move |_| ran.fetch_add(1, Ordering::SeqCst))
            .unwrap()
    };
    assert_eq!(
        ran.load(Ordering::SeqCst),
        1,
        "the drop waited for the task"
    );
    assert_eq!(task.join().unwrap(), 0);
}

#[test]
#[should_panic(expected = r#"ThreadPool "empty" needs at least one thread"#)]
fn a_pool_of_zero_threads_is_refused_naming_the_pool() {
    let _ = ThreadPool::new("empty", 0);
}

#[test]
fn debug_shows_the_name_threads_and_queue() {
    let pool = ThreadPool::new("shown", 1).unwrap();
    assert_eq!(
        format!("{pool:?}"),
        r#"ThreadPool("shown", 1 threads, 0 queued)"#
    );
    let task = pool.run("t", |_| ()).unwrap();
    task.done().wait_till(&Till::seconds(30.0));
    assert_eq!(format!("{task:?}"), r#"Task("t", done)"#);
    pool.close().unwrap();
}

#[test]
fn a_failing_task_whose_handle_was_dropped_is_logged_not_lost() {
    crate::test_support::capture();
    let pool = ThreadPool::new("drops-handles", 1).unwrap();
    let before_it_ran = pool
        .run("failing-unjoined-early", |_| {
            Err::<(), _>("failed after its handle went")
        })
        .unwrap();
    drop(before_it_ran);
    let after_it_ran = pool
        .run("failing-unjoined-late", |_| -> () {
            panic!("panicked before its handle went")
        })
        .unwrap();
    assert!(after_it_ran.wait_till(&Till::seconds(30.0)));
    drop(after_it_ran);
    pool.close().unwrap();
    for needle in [
        "failed after its handle went",
        "panicked before its handle went",
    ] {
        let logged = crate::test_support::records_mentioning(needle);
        assert_eq!(logged.len(), 1, "{needle}: {logged:?}");
        assert!(
            logged[0].starts_with("ERROR more_threads::pool"),
            "{logged:?}"
        );
    }
}
