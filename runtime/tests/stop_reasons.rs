//! Why a thread was asked to stop: each reason, as `please_stop.reason()`
//! gives it, as a `Stopped` error says it, and as the dump, the log and the
//! timeline show it; handed down to children and combinations, and kept
//! once.

use more_threads::prelude::*;
use more_threads::signal::{StopReason, Stopped};
use more_threads::thread::Restart;
use more_threads::{BoxError, dump, scope};
use std::sync::mpsc;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

/// The path of the thread a test runs on, as the tree names it.
fn here() -> String {
    Thread::current().path().to_owned()
}

/// Waits until the Signal went, at most a minute: a stop that never comes
/// fails the test instead of hanging it.
fn wait_for(signal: &Signal) {
    assert!(
        signal.wait_till(&Till::seconds(60.0)),
        "{signal} did not go within a minute"
    );
}

#[test]
fn a_stop_asked_by_a_thread_names_that_thread() {
    let target = Thread::run("target", |please_stop| {
        please_stop.wait();
        please_stop.reason()
    })
    .unwrap();
    let target_stop = target.please_stop().clone();
    let asker = Thread::run("asker", move |_| target_stop.go()).unwrap();
    assert!(asker.join().unwrap());
    let reason = target.join().unwrap().expect("it went, so it has a reason");
    let expected = format!("{}/asker", here());
    assert!(
        matches!(&reason, StopReason::Asked { by, .. } if **by == *expected),
        "{reason:?}"
    );
    assert_eq!(reason.to_string(), format!("{expected} asked"));
}

#[test]
fn a_signal_that_has_not_gone_has_no_reason_and_the_first_reason_stays() {
    let signal = Signal::named("twice");
    assert_eq!(signal.reason(), None);
    assert!(signal.go_because(StopReason::other("the first")));
    assert!(!signal.go_because(StopReason::other("the second")));
    assert!(!signal.go());
    assert_eq!(signal.reason(), Some(StopReason::other("the first")));
}

#[test]
fn the_descendants_of_a_stopped_thread_carry_its_reason() {
    let (sender, reasons) = mpsc::channel::<(String, Option<StopReason>)>();
    let parent = Thread::run("parent", move |please_stop| {
        let sender_child = sender.clone();
        let child = Thread::run("child", move |please_stop| {
            let sender_grandchild = sender_child.clone();
            let grandchild = Thread::run("grandchild", move |please_stop| {
                please_stop.wait();
                let _ = sender_grandchild.send(("grandchild".into(), please_stop.reason()));
            })?;
            please_stop.wait();
            let _ = sender_child.send(("child".into(), please_stop.reason()));
            grandchild.join()?;
            Ok::<_, BoxError>(())
        })?;
        please_stop.wait();
        child.join()?;
        Ok::<_, BoxError>(())
    })
    .unwrap();
    // Every descendant started (its please_stop is where the dump shows it blocked).
    let deadline = Till::seconds(60.0);
    while !dump()
        .threads()
        .any(|entry| entry.name() == "grandchild" && entry.state().starts_with("blocked"))
    {
        assert!(
            !deadline.is_go(),
            "the grandchild never started:\n{}",
            dump()
        );
        std::thread::yield_now();
    }
    parent
        .please_stop()
        .go_because(StopReason::other("the disk is full"));
    parent.join().unwrap();
    let mut got: Vec<(String, Option<StopReason>)> = reasons.iter().collect();
    got.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        got,
        vec![
            ("child".into(), Some(StopReason::other("the disk is full"))),
            (
                "grandchild".into(),
                Some(StopReason::other("the disk is full"))
            ),
        ]
    );
}

#[test]
fn a_child_still_running_when_its_parent_ends_is_stopped_because_its_parent_ended() {
    let (sender, reasons) = mpsc::channel();
    let parent = Thread::run("ending-parent", move |_| {
        let child = Thread::run("left-behind", move |please_stop| {
            please_stop.wait();
            let _ = sender.send(please_stop.reason());
        })?;
        child.release(); // the parent's end stops and joins it
        Ok::<_, BoxError>(())
    })
    .unwrap();
    parent.join().unwrap();
    let reason = reasons.recv().unwrap().expect("it was stopped");
    assert_eq!(
        reason.to_string(),
        format!("its parent {}/ending-parent ended", here())
    );
}

#[test]
fn a_sibling_failure_stops_the_others_and_their_stopped_error_says_which_and_why() {
    let said: Mutex<Option<String>> = Mutex::new(None);
    let error = scope(|scope| {
        scope.spawn("waiter", |please_stop| {
            please_stop.wait();
            let stopped: Stopped = please_stop.check().unwrap_err();
            *said.lock().unwrap() = Some(stopped.to_string());
        });
        scope.spawn("chunk-6", |_| -> Result<(), BoxError> {
            Err("bad value at 10".into())
        });
    })
    .unwrap_err();
    assert!(error.path().ends_with("/chunk-6"), "{error}");
    assert_eq!(
        said.into_inner().unwrap().as_deref(),
        Some(format!("stopped because {}/chunk-6 failed: bad value at 10", here()).as_str())
    );
}

#[test]
fn the_children_a_scope_block_leaves_early_are_stopped_because_it_was_left_early() {
    let reason: Mutex<Option<StopReason>> = Mutex::new(None);
    let _ = scope(|scope| {
        scope.spawn("abandoned", |please_stop| {
            please_stop.wait();
            *reason.lock().unwrap() = please_stop.reason();
        });
        Err::<(), BoxError>("gave up".into())
    });
    let reason = reason.into_inner().unwrap().expect("it was stopped");
    assert_eq!(
        reason.to_string(),
        format!("the scope in {} was left early", here())
    );
}

#[test]
fn a_till_goes_because_its_deadline_passed_and_a_combination_goes_for_its_inputs_reason() {
    let till = Till::seconds(0.0);
    till.wait();
    assert_eq!(till.reason().unwrap().to_string(), "its deadline passed");

    let please_stop = Signal::named("please_stop");
    let either = &please_stop | Till::seconds(60.0);
    please_stop.go_because(StopReason::other("a reload"));
    assert_eq!(either.reason(), Some(StopReason::other("a reload")));

    let timed_out = &Signal::named("never asked") | Till::seconds(0.0);
    wait_for(&timed_out);
    assert!(
        matches!(timed_out.reason(), Some(StopReason::Deadline { .. })),
        "{:?}",
        timed_out.reason()
    );
}

#[test]
fn a_combination_made_after_its_input_went_carries_that_inputs_reason() {
    let please_stop = Signal::named("please_stop");
    please_stop.go_because(StopReason::other("gone before"));
    let either = &please_stop | Till::seconds(60.0);
    assert!(either.is_go());
    assert_eq!(either.reason(), Some(StopReason::other("gone before")));
    let both = &please_stop & Signal::gone();
    assert!(both.is_go());
    assert!(both.reason().is_some());
}

#[test]
fn a_restart_stops_the_children_of_the_attempt_that_failed_because_of_the_restart() {
    let (sender, reasons) = mpsc::channel();
    let attempts = std::sync::atomic::AtomicUsize::new(0);
    let flaky = Thread::builder("flaky")
        .restart(Restart::on_failure().backoff(Duration::ZERO, Duration::ZERO))
        .spawn(move |_please_stop| -> Result<u32, BoxError> {
            let attempt = attempts.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            if attempt == 0 {
                let sender = sender.clone();
                let helper = Thread::run("helper", move |please_stop| {
                    please_stop.wait();
                    let _ = sender.send(please_stop.reason());
                })?;
                helper.release();
                return Err("the first attempt fails".into());
            }
            Ok(7)
        })
        .unwrap();
    assert_eq!(flaky.join().unwrap(), 7);
    let reason = reasons.recv().unwrap().expect("the helper was stopped");
    assert_eq!(
        reason.to_string(),
        format!("{}/flaky ended an attempt, to restart", here())
    );
}

#[test]
fn the_dump_says_why_a_thread_that_is_still_running_was_asked_to_stop() {
    let release = Signal::named("release");
    let stubborn = {
        let release = release.clone();
        Thread::run("stubborn-reason", move |_please_stop| release.wait()).unwrap()
    };
    stubborn
        .please_stop()
        .go_because(StopReason::other("its config changed"));
    let picture = dump().to_string();
    let line = picture
        .lines()
        .find(|line| line.contains("stubborn-reason"))
        .unwrap_or_else(|| panic!("no line for the thread:\n{picture}"));
    assert!(
        line.ends_with(", stopping because its config changed"),
        "{line}"
    );
    release.go();
    stubborn.join().unwrap();
    assert!(
        !dump().to_string().contains("stubborn-reason"),
        "an ended thread leaves the dump"
    );
}

/// Every record at every level, for the quiet-stop record (DEBUG).
struct Recording;

static RECORDED: OnceLock<Mutex<Vec<String>>> = OnceLock::new();

impl log::Log for Recording {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        RECORDED
            .get_or_init(Mutex::default)
            .lock()
            .unwrap()
            .push(format!("{} {}", record.level(), record.args()));
    }

    fn flush(&self) {}
}

#[test]
fn the_quiet_stop_record_of_a_thread_nobody_joined_says_why_it_stopped() {
    let _ = log::set_logger(&Recording);
    log::set_max_level(log::LevelFilter::Debug);
    let quiet = Thread::run("quiet-one", |please_stop| -> Result<(), BoxError> {
        please_stop.wait();
        please_stop.check()?;
        Ok(())
    })
    .unwrap();
    let stopped = quiet.stopped().clone();
    quiet
        .please_stop()
        .go_because(StopReason::other("the test is over"));
    quiet.release(); // nobody joins: its end is logged
    wait_for(&stopped);
    let deadline = Till::seconds(60.0);
    loop {
        let found = RECORDED
            .get_or_init(Mutex::default)
            .lock()
            .unwrap()
            .iter()
            .find(|line| line.contains("quiet-one"))
            .cloned();
        if let Some(line) = found {
            assert!(
                line.starts_with("DEBUG "),
                "a quiet stop is no failure: {line}"
            );
            assert!(line.ends_with("stopped because the test is over"), "{line}");
            break;
        }
        assert!(!deadline.is_go(), "no record of the quiet stop");
        std::thread::yield_now();
    }
}

#[test]
fn the_timeline_marks_when_a_thread_was_asked_to_stop_and_why() {
    more_threads::profile::enable();
    let profiled = Thread::run("profiled-stop", |please_stop| please_stop.wait()).unwrap();
    profiled
        .please_stop()
        .go_because(StopReason::other("enough profiling"));
    profiled.join().unwrap();
    let json = more_threads::profile::report().trace_json();
    let event = json
        .lines()
        .find(|line| {
            line.contains(r#""name":"asked to stop""#) && line.contains("enough profiling")
        })
        .unwrap_or_else(|| panic!("no stop event in the timeline:\n{json}"));
    assert!(event.contains(r#""because":"enough profiling""#), "{event}");
}

#[test]
fn a_process_asked_to_stop_says_who_asked() {
    let mut command = std::process::Command::new("sleep");
    command.arg("30");
    let sleeper = Process::run("sleeper", command).unwrap();
    sleeper.stop();
    let reason = sleeper
        .please_stop()
        .reason()
        .expect("it was asked to stop");
    assert_eq!(reason.to_string(), format!("{} asked", here()));
    let _ = sleeper.join();
}
