//! `Repeat`: what it promises, one behaviour per test.

use super::Repeat;
use crate::promise::Promise;
use crate::signal::Signal;
use crate::thread::Thread;
use crate::till::Till;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[test]
fn runs_on_a_schedule_that_does_not_drift_with_the_work() {
    let started = Instant::now();
    let times = Arc::new(Mutex::new(Vec::new()));
    let repeat = {
        let times = times.clone();
        Repeat::every("scheduled", Duration::from_millis(20), move |_| {
            times.lock().unwrap().push(started.elapsed());
            std::thread::sleep(Duration::from_millis(8)); // work that would drift a sleep loop
        })
        .unwrap()
    };
    Till::seconds(0.3).wait();
    repeat.stop();
    repeat.join().unwrap();
    let times = times.lock().unwrap();
    assert!(times.len() >= 4, "ran {} times in 300 ms", times.len());
    // Runs start on the 20 ms grid of the first run (an overrun skips a point,
    // it does not shift the grid). A sleep-after-work loop would move 8 ms
    // off the grid per run. Checked as a set, with a tolerance for a loaded
    // machine waking a run late: most runs sit within 6 ms of a grid point.
    let on_grid = times
        .iter()
        .filter(|time| {
            let offset = (**time - times[0]).as_micros() % 20_000;
            offset.min(20_000 - offset) <= 6_000
        })
        .count();
    assert!(
        on_grid * 4 >= times.len() * 3,
        "only {on_grid} of {} runs started on the 20 ms schedule: it drifted ({times:?})",
        times.len()
    );
}

#[test]
fn stop_ends_it_promptly_and_join_counts_the_runs() {
    let repeat = Repeat::every("stoppable", Duration::from_secs(3600), |_| ()).unwrap();
    Till::seconds(0.01).wait();
    let asked = Instant::now();
    repeat.stop();
    assert_eq!(
        repeat.join().unwrap(),
        1,
        "one run at once, the next an hour away"
    );
    assert!(
        asked.elapsed() < Duration::from_secs(5),
        "stop did not wake the wait"
    );
}

#[test]
fn an_err_ends_the_repeat_as_its_threads_failure() {
    let repeat = Repeat::every("failing", Duration::from_millis(1), |_| {
        Err::<(), _>("broken")
    })
    .unwrap();
    let error = repeat.join().unwrap_err();
    assert!(
        format!("{error:#}").ends_with("failing failed: broken"),
        "{error}"
    );
}

#[test]
fn dropping_the_handle_stops_it() {
    let repeat = Repeat::every("dropped", Duration::from_secs(3600), |_| ()).unwrap();
    let stopped = repeat.stopped().clone();
    drop(repeat);
    assert!(
        stopped.wait_till(&Till::seconds(30.0)),
        "the repeat thread ended"
    );
}

#[test]
fn it_runs_as_a_named_child_of_its_creator() {
    let path = Promise::new();
    let repeat = {
        let path = path.clone();
        Repeat::every("child", Duration::from_secs(3600), move |_| {
            let _ = path.assign(Thread::current().path().to_owned());
        })
        .unwrap()
    };
    let ran_on = path
        .wait_till(&Till::seconds(30.0))
        .expect("the first run is at once")
        .clone();
    assert_eq!(ran_on, format!("{}/child", Thread::current().path()));
    repeat.stop();
    repeat.join().unwrap();
}

#[test]
#[should_panic(expected = r#"Repeat "busy" needs a period longer than zero"#)]
fn a_zero_period_is_refused_naming_the_repeat() {
    let _ = Repeat::every("busy", Duration::ZERO, |_| ());
}

#[test]
fn a_repeat_that_starts_later_makes_no_run_before_its_start() {
    let started = Instant::now();
    let first = Promise::new();
    let repeat = {
        let first = first.clone();
        Repeat::builder("starts-later", Duration::from_millis(1))
            .start_after(Duration::from_millis(30))
            .run(move |_| {
                let _ = first.assign(Instant::now());
            })
            .unwrap()
    };
    let first_run = *first.wait_till(&Till::seconds(30.0)).expect("it starts");
    assert!(
        first_run.duration_since(started) >= Duration::from_millis(30),
        "the first run waited for its start"
    );
    repeat.stop();
    repeat.join().unwrap();
}

#[test]
fn a_repeat_ends_on_its_own_when_its_end_goes() {
    let end = Signal::named("end");
    let runs = Arc::new(Mutex::new(0_u64));
    let repeat = {
        let runs = runs.clone();
        Repeat::builder("ends-by-itself", Duration::from_millis(1))
            .until(&end)
            .run(move |_| *runs.lock().unwrap() += 1)
            .unwrap()
    };
    while *runs.lock().unwrap() < 3 {
        Till::seconds(0.001).wait();
    }
    end.go();
    let counted = repeat.join().unwrap(); // no stop(): the end ended it
    assert_eq!(counted, *runs.lock().unwrap());
    assert!(counted >= 3);
}
