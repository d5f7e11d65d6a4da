//! The profile of a known workload: one thread spinning on the CPU, one
//! blocked on a named Lock, checked against what each measured for itself.
//! A test binary of its own: profiling, once enabled, stays on.

use more_threads::{Lock, Signal, Thread, Till, profile};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The CPU time of the calling thread, as the OS counts it.
fn thread_cpu() -> Duration {
    let time = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Duration::new(time.tv_sec as u64, time.tv_nsec as u32)
}

fn within(measured: Duration, expected: Duration, tolerance: f64) -> bool {
    let (measured, expected) = (measured.as_secs_f64(), expected.as_secs_f64());
    (measured - expected).abs() <= expected * tolerance
}

#[test]
fn a_spinning_thread_is_cpu_and_a_waiting_one_is_blocked_on_the_named_lock() {
    profile::enable();
    // Spins until it has had 200 ms of CPU, however loaded the machine is.
    let spinner = Thread::run("spinner", |_| {
        let started = thread_cpu();
        let mut turns = 0_u64;
        while thread_cpu() - started < Duration::from_millis(200) {
            turns = turns.wrapping_add(1);
            std::hint::black_box(turns);
        }
        thread_cpu() - started
    })
    .unwrap();

    // Holds the Lock about 200 ms while the waiter waits for it.
    let lock = Arc::new(Lock::named("contended", ()));
    let holding = Signal::named("holding");
    let holder = {
        let (lock, holding) = (lock.clone(), holding.clone());
        Thread::run("holder", move |_| {
            let _guard = lock.lock();
            holding.go();
            Till::seconds(0.2).wait();
        })
        .unwrap()
    };
    holding.wait();
    let waiter = {
        let lock = lock.clone();
        Thread::run("waiter", move |_| {
            let asked = Instant::now();
            drop(lock.lock());
            asked.elapsed()
        })
        .unwrap()
    };
    let spun = spinner.join().unwrap();
    holder.join().unwrap();
    let waited = waiter.join().unwrap();

    let report = profile::report();
    println!("{report}");
    let row = |pattern: &str| {
        report
            .threads()
            .iter()
            .find(|row| row.pattern() == pattern)
            .unwrap_or_else(|| panic!("no row {pattern} in\n{report}"))
            .clone()
    };
    let spinner = row("spinner");
    let spinner_cpu = spinner.cpu().expect("the spinner's CPU");
    assert!(
        within(spinner_cpu, spun, 0.2),
        "the spinner's CPU {spinner_cpu:?} is what it spun, {spun:?}, ±20%"
    );
    assert!(
        spinner.blocked() < Duration::from_millis(20),
        "the spinner was not blocked: {:?}",
        spinner.blocked()
    );
    let waiter = row("waiter");
    assert!(
        within(waiter.blocked(), waited, 0.2),
        "the waiter's blocked time {:?} is what it waited, {waited:?}, ±20%",
        waiter.blocked()
    );
    let waiter_cpu = waiter.cpu().expect("the waiter's CPU");
    assert!(
        waiter_cpu < waited / 5,
        "the waiter used little CPU: {waiter_cpu:?} for {waited:?} waited"
    );
    let contended = report
        .resources()
        .iter()
        .find(|row| row.what() == r#"Lock "contended""#)
        .unwrap_or_else(|| panic!("the Lock is named in\n{report}"));
    assert!(contended.threads().iter().any(|thread| thread == "waiter"));
    assert!(report.to_string().contains(r#"Lock "contended""#));
}

#[test]
fn threads_whose_names_differ_by_digits_fold_into_one_row() {
    profile::enable();
    let workers: Vec<_> = (0..4)
        .map(|n| Thread::run(&format!("fold-{n}-of-4"), |_| ()).unwrap())
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    let report = profile::report();
    let row = report
        .threads()
        .iter()
        .find(|row| row.pattern() == "fold-#-of-#")
        .unwrap_or_else(|| panic!("no folded row in\n{report}"));
    assert_eq!(row.threads(), 4);
}

#[test]
fn the_timeline_parses_and_has_a_track_per_thread_with_its_waits_inside() {
    profile::enable();
    // The child waits on a Signal the parent sends 20 ms after the dump
    // shows the child blocked (a Till made before the wait could go before
    // a slow-to-start wait began, and leave no wait at all).
    let release = Signal::named("timeline-release");
    let parent = {
        let release = release.clone();
        Thread::run("timeline-parent", move |_| {
            let child = {
                let release = release.clone();
                Thread::run("timeline-child", move |_| release.wait())?
            };
            while !more_threads::dump().threads().any(|thread| {
                thread.name() == "timeline-child" && thread.state().contains("timeline-release")
            }) {
                std::thread::yield_now();
            }
            let blocked_at = Instant::now();
            Till::seconds(0.02).wait();
            let held = blocked_at.elapsed();
            release.go();
            child.join()?;
            Ok::<_, more_threads::ThreadError>(held)
        })
        .unwrap()
    };
    let held = parent.join().unwrap();
    let report = profile::report();
    let trace: serde_json::Value = serde_json::from_str(&report.trace_json()).unwrap();
    let events = trace["traceEvents"].as_array().unwrap();
    let track_of = |path: &str| {
        events
            .iter()
            .find(|event| event["name"] == "thread_name" && event["args"]["name"] == path)
            .and_then(|event| event["tid"].as_u64())
            .unwrap_or_else(|| panic!("no track for {path}"))
    };
    let parent_path = format!("{}/timeline-parent", Thread::current().path());
    let parent = track_of(&parent_path);
    let child = track_of(&format!("{parent_path}/timeline-child"));
    assert_ne!(parent, child, "one track per thread");
    let threads = report
        .threads()
        .iter()
        .map(|row| row.threads())
        .sum::<usize>();
    let tracks = events
        .iter()
        .filter(|event| event["name"] == "thread_name")
        .count();
    assert_eq!(tracks, threads, "as many tracks as threads profiled");
    // The child's wait on its Till lies inside its lifetime.
    let slice = |tid: u64, category: &str| {
        events
            .iter()
            .find(|event| event["tid"] == tid && event["cat"] == category)
            .map(|event| {
                (
                    event["ts"].as_f64().unwrap(),
                    event["dur"].as_f64().unwrap(),
                )
            })
            .unwrap_or_else(|| panic!("no {category} slice on track {tid}"))
    };
    let (life, lifetime) = slice(child, "thread");
    let (wait, waited) = slice(child, "blocked");
    assert!(life <= wait && wait + waited <= life + lifetime + 1.0);
    // Blocked before the parent saw it so, released after it held 20 ms.
    let held = held.as_secs_f64() * 1e6;
    assert!(
        waited >= held - 1.0,
        "the wait lasted {waited} µs, though the parent held it {held} µs"
    );
    // The parent's join of the child is a wait on the parent's track.
    let joined = events.iter().any(|event| {
        event["tid"] == parent
            && event["name"]
                .as_str()
                .is_some_and(|name| name.starts_with("blocked on joining"))
    });
    assert!(joined, "the parent's join is on its track");
}

#[test]
fn a_wait_refused_as_a_deadlock_is_in_the_profile() {
    profile::enable();
    let refused = Thread::run("refuses-a-join", |_| {
        let ledger = std::sync::Arc::new(more_threads::Lock::named("profiled-ledger", 0));
        let held = ledger.lock();
        let child = {
            let ledger = ledger.clone();
            Thread::run("wants-the-profiled-ledger", move |_| *ledger.lock() += 1)?
        };
        while !more_threads::dump()
            .to_string()
            .contains("blocked on Lock \"profiled-ledger\"")
        {
            std::thread::yield_now();
        }
        let refused = child.join().is_err();
        drop(held);
        Ok::<_, more_threads::ThreadError>(refused)
    })
    .unwrap()
    .join()
    .unwrap();
    assert!(refused, "the join closed a cycle");
    let report = profile::report();
    let row = report
        .resources()
        .iter()
        .find(|row| row.what().starts_with("deadlock joining"))
        .unwrap_or_else(|| panic!("no refused wait in\n{report}"));
    assert!(
        row.what()
            .ends_with("/refuses-a-join/wants-the-profiled-ledger"),
        "{}",
        row.what()
    );
    assert_eq!(row.waits(), 1);
}
