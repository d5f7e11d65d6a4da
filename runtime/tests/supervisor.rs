//! Supervisors: which children each strategy stops and starts again, and in
//! what order; the intensity and its escalation; significant, transient and
//! temporary children; the log, the dump and the reasons children are told.
//!
//! Deterministic: a child fails when a Signal the test holds goes, every
//! start and stop is recorded in a log the test waits on (a `Lock`, whose
//! guard wakes the waiter when dropped), and every wait counts from one
//! deadline set when the test began.

mod common;

use more_threads::signal::StopReason;
use more_threads::supervisor::{Child, Restart, Strategy, Supervisor};
use more_threads::{Lock, Process, Signal, Thread, Till, dump};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// What the children did, in order: `start a`, `stop a`, `fail a`.
#[derive(Clone)]
struct Log {
    lines: Arc<Lock<Vec<String>>>,
    deadline: Signal,
}

impl Log {
    fn new() -> Log {
        Log {
            lines: Arc::new(Lock::new(Vec::new())),
            // One base for every wait of the test.
            deadline: Till::seconds(60.0),
        }
    }

    fn push(&self, line: String) {
        self.lines.lock().push(line);
    }

    /// Waits until the log holds `count` lines, then returns them all.
    fn wait_for(&self, count: usize) -> Vec<String> {
        let mut lines = self.lines.lock();
        while lines.len() < count {
            assert!(
                lines.wait_till(&self.deadline) || lines.len() >= count,
                "the log never reached {count} lines within the test's minute: {:?}",
                *lines
            );
        }
        lines.clone()
    }

    fn lines(&self) -> Vec<String> {
        self.lines.lock().clone()
    }
}

/// A child that logs `start NAME`, then waits for its `please_stop` (and
/// logs `stop NAME: REASON`) or, on its first start only, for `fail` (and
/// logs `fail NAME`, then fails with `NAME broke`).
fn child(name: &'static str, log: &Log, fail: &Signal) -> Child {
    let log = log.clone();
    let fail = fail.clone();
    let starts = AtomicU32::new(0);
    Child::new(name, move |please_stop: &Signal| {
        let first = starts.fetch_add(1, Ordering::SeqCst) == 0;
        log.push(format!("start {name}"));
        let never = Signal::new();
        let fail_now = if first { &fail } else { &never };
        (please_stop | fail_now).wait();
        if please_stop.is_go() {
            let reason = please_stop.reason().map(|r| r.to_string());
            log.push(format!("stop {name}: {}", reason.unwrap_or_default()));
            Ok(())
        } else {
            log.push(format!("fail {name}"));
            Err(format!("{name} broke"))
        }
    })
}

/// The log's lines up to the first `:` each (`stop a`, not its reason),
/// with each run of `start` lines sorted: the threads a supervisor starts
/// together run at once, so which logs first is the OS's choice. The order
/// in which the supervisor started them is the order of its children in the
/// dump ([`children_of`]).
fn short(lines: &[String]) -> Vec<&str> {
    let mut short: Vec<&str> = lines
        .iter()
        .map(|line| line.split(':').next().unwrap_or(line))
        .collect();
    let mut at = 0;
    while at < short.len() {
        let run = short[at..]
            .iter()
            .take_while(|line| line.starts_with("start "))
            .count();
        short[at..at + run].sort_unstable();
        at += run.max(1);
    }
    short
}

/// The children of the supervisor at `path` in the dump, in the order it
/// started them, each with its restarts.
fn children_of(path: &str) -> Vec<(String, u32)> {
    let snapshot = dump();
    let sup = snapshot
        .threads()
        .find(|entry| entry.path() == path)
        .unwrap_or_else(|| panic!("{path} is not in the dump: {snapshot}"));
    sup.children()
        .iter()
        .map(|child| (child.name().to_owned(), child.restarts()))
        .collect()
}

/// The path of the thread a test runs on, as the tree names it.
fn here() -> String {
    Thread::current().path().to_owned()
}

/// Three children `a`, `b`, `c` under `strategy`; `b` fails once its
/// Signal goes. Returns the log once it holds `lines` lines after the
/// failure, and the supervisor's children then (as [`children_of`]), and
/// stops and joins the supervisor.
fn fail_b_under(strategy: Strategy, lines: usize) -> (Vec<String>, Vec<(String, u32)>) {
    let log = Log::new();
    let never = Signal::new();
    let fail_b = Signal::new();
    let sup = Supervisor::new("sup")
        .strategy(strategy)
        .intensity(3, Duration::from_secs(3600))
        .child(child("a", &log, &never))
        .child(child("b", &log, &fail_b))
        .child(child("c", &log, &never))
        .spawn()
        .unwrap();
    log.wait_for(3);
    fail_b.go();
    let seen = log.wait_for(3 + lines);
    let children = children_of(sup.path());
    sup.stop();
    sup.join().expect("a supervisor asked to stop ends with Ok");
    (seen, children)
}

#[test]
fn one_for_one_restarts_only_the_failed_child() {
    let (seen, children) = fail_b_under(Strategy::OneForOne, 2);
    assert_eq!(
        short(&seen),
        ["start a", "start b", "start c", "fail b", "start b"],
        "only b should have been stopped and started again"
    );
    assert_eq!(
        children,
        [("a".into(), 0), ("c".into(), 0), ("b".into(), 1)],
        "a and c should run on, b be a new thread with one restart"
    );
}

#[test]
fn one_for_all_stops_the_others_youngest_first_and_restarts_all_in_order() {
    let (seen, children) = fail_b_under(Strategy::OneForAll, 6);
    assert_eq!(
        short(&seen),
        [
            "start a", "start b", "start c", "fail b", "stop c", "stop a", "start a", "start b",
            "start c"
        ],
        "c then a should have been stopped, then a, b, c started again"
    );
    assert_eq!(
        children,
        [("a".into(), 1), ("b".into(), 1), ("c".into(), 1)],
        "a, b and c should have been started again, in their order"
    );
    let sup = format!("{}/sup", here());
    assert_eq!(
        seen[4],
        format!("stop c: {sup} restarts all its children: {sup}/b failed: b broke"),
        "c should be told why it was stopped"
    );
}

#[test]
fn rest_for_one_stops_and_restarts_the_failed_child_and_the_later_ones_only() {
    let (seen, children) = fail_b_under(Strategy::RestForOne, 4);
    assert_eq!(
        short(&seen),
        [
            "start a", "start b", "start c", "fail b", "stop c", "start b", "start c"
        ],
        "a should have been left alone; c stopped, then b and c started again"
    );
    assert_eq!(
        children,
        [("a".into(), 0), ("b".into(), 1), ("c".into(), 1)],
        "b and c should have been started again, in their order, a left running"
    );
    let sup = format!("{}/sup", here());
    assert_eq!(
        seen[4],
        format!(
            "stop c: {sup} restarts {sup}/b and the children started after it: {sup}/b failed: b broke"
        ),
    );
}

#[test]
fn past_its_intensity_the_supervisor_fails_with_the_last_failure_and_its_scope_sees_it() {
    let log = Log::new();
    let never = Signal::new();
    let failures = AtomicU32::new(0);
    let sup = Supervisor::new("unused")
        .intensity(1, Duration::from_secs(3600))
        .child(child("steady", &log, &never))
        .child(Child::new("db", move |_please_stop: &Signal| {
            let n = failures.fetch_add(1, Ordering::SeqCst) + 1;
            Err::<(), _>(format!("db failure {n}"))
        }));
    let outcome = more_threads::scope(|scope| {
        scope.spawn("sup", |please_stop| sup.run(please_stop));
    });
    let error = outcome.expect_err("the scope should see its supervisor's failure");
    let text = format!("{error:#}");
    assert!(
        text.contains("db failure 2") && !text.contains("db failure 3"),
        "the scope's error should carry the second (last) failure: {text}"
    );
    let lines = log.lines();
    let stopped = lines.last().expect("steady should have logged");
    assert!(
        stopped.starts_with("stop steady: the supervisor ")
            && stopped.contains("/db failed: db failure 2, past its intensity"),
        "steady should be told the supervisor ended past its intensity: {stopped}"
    );
}

#[test]
fn a_restart_storm_ends_after_the_intensity_and_starts_no_more() {
    let starts = Arc::new(AtomicU32::new(0));
    let counted = starts.clone();
    let sup = Supervisor::new("storm")
        .intensity(5, Duration::from_secs(3600))
        .child(Child::new("crash", move |_please_stop: &Signal| {
            counted.fetch_add(1, Ordering::SeqCst);
            Err::<(), _>("crashed at once")
        }))
        .spawn()
        .unwrap();
    let error = sup
        .join()
        .expect_err("a storm past the intensity escalates");
    assert!(
        format!("{error:#}").contains("crashed at once"),
        "{error:#}"
    );
    assert_eq!(
        starts.load(Ordering::SeqCst),
        6,
        "one start and 5 restarts, and no more"
    );
}

#[test]
fn a_significant_childs_normal_end_ends_the_supervisor_and_stops_the_others() {
    let log = Log::new();
    let never = Signal::new();
    let done = Signal::new();
    let job = {
        let log = log.clone();
        let done = done.clone();
        Child::new("job", move |_please_stop: &Signal| {
            log.push("start job".into());
            done.wait();
            log.push("end job".into());
        })
        .restart(Restart::Transient)
        .significant()
    };
    let sup = Supervisor::new("sup")
        .child(child("server", &log, &never))
        .child(job)
        .spawn()
        .unwrap();
    log.wait_for(2);
    done.go();
    sup.join()
        .expect("a significant child's end ends its supervisor with Ok");
    let lines = log.lines();
    assert_eq!(
        short(&lines),
        ["start job", "start server", "end job", "stop server"]
    );
    assert!(
        lines[3].ends_with(&format!(
            "ends: its significant child {}/sup/job ended",
            here()
        )),
        "server should be told the significant child ended: {}",
        lines[3]
    );
}

#[test]
fn a_transient_child_is_not_restarted_after_it_returns() {
    let log = Log::new();
    let fail_other = Signal::new();
    let once = {
        let log = log.clone();
        Child::new("once", move |_please_stop: &Signal| {
            log.push("start once".into());
            Ok::<(), String>(())
        })
        .restart(Restart::Transient)
    };
    // `once` comes first: the supervisor handles the first child that
    // ended first, so once `other` restarted, `once`'s end was handled.
    let sup = Supervisor::new("sup")
        .intensity(3, Duration::from_secs(3600))
        .child(once)
        .child(child("other", &log, &fail_other))
        .spawn()
        .unwrap();
    log.wait_for(2);
    fail_other.go();
    let seen = log.wait_for(4);
    sup.stop();
    sup.join().unwrap();
    let lines = log.lines();
    assert_eq!(
        short(&seen)
            .iter()
            .filter(|line| **line == "start once")
            .count(),
        1,
        "once returned, so it should not start again: {lines:?}"
    );
    assert_eq!(
        lines.iter().filter(|line| *line == "start once").count(),
        1,
        "{lines:?}"
    );
}

#[test]
fn a_temporary_child_is_not_restarted_even_when_it_fails() {
    let starts = Arc::new(AtomicU32::new(0));
    let counted = starts.clone();
    let log = Log::new();
    let fail_other = Signal::new();
    let sup = Supervisor::new("sup")
        .intensity(3, Duration::from_secs(3600))
        .child(
            Child::new("temp", move |_please_stop: &Signal| {
                counted.fetch_add(1, Ordering::SeqCst);
                Err::<(), _>("temp broke")
            })
            .restart(Restart::Temporary),
        )
        .child(child("other", &log, &fail_other))
        .spawn()
        .unwrap();
    log.wait_for(1);
    fail_other.go();
    log.wait_for(3); // other failed and started again: temp's end was handled
    sup.stop();
    sup.join().unwrap();
    assert_eq!(starts.load(Ordering::SeqCst), 1);
}

#[test]
fn each_restart_is_logged_at_warn_with_its_reason() {
    common::capture_log();
    let log = Log::new();
    let never = Signal::new();
    let fail = Signal::new();
    let sup = Supervisor::new("logged-sup")
        .strategy(Strategy::RestForOne)
        .intensity(3, Duration::from_secs(3600))
        .child(child("first", &log, &fail))
        .child(child("second", &log, &never))
        .spawn()
        .unwrap();
    log.wait_for(2);
    fail.go();
    log.wait_for(6);
    sup.stop();
    sup.join().unwrap();
    let sup = format!("{}/logged-sup", here());
    let logged = common::logged_with(&format!("{sup} restarts"));
    assert_eq!(
        logged,
        [format!(
            "WARN {sup} restarts first, second (restart 1, at most 3 within 3600s): \
             {sup}/first failed: first broke"
        )],
        "one restart, one WARN record saying why"
    );
}

#[test]
fn the_supervisors_please_stop_stops_every_child_with_the_reason_handed_down() {
    let log = Log::new();
    let never = Signal::new();
    let sup = Supervisor::new("sup")
        .strategy(Strategy::OneForAll)
        .child(child("a", &log, &never))
        .child(child("b", &log, &never))
        .spawn()
        .unwrap();
    log.wait_for(2);
    sup.please_stop()
        .go_because(StopReason::other("maintenance"));
    sup.join().unwrap();
    let mut stops: Vec<String> = log.lines().split_off(2);
    stops.sort();
    assert_eq!(stops, ["stop a: maintenance", "stop b: maintenance"]);
}

#[test]
fn the_dump_shows_the_strategy_the_restarts_and_each_childs_restarts() {
    let log = Log::new();
    let never = Signal::new();
    let fail = Signal::new();
    let sup = Supervisor::new("dumped-sup")
        .strategy(Strategy::OneForAll)
        .intensity(3, Duration::from_secs(3600))
        .child(child("x", &log, &fail))
        .child(child("y", &log, &never))
        .spawn()
        .unwrap();
    log.wait_for(2);
    fail.go();
    log.wait_for(6);
    // The restarted threads carry their count once started: wait for it.
    let picture = loop {
        let snapshot = dump();
        let restarted = |name: &str| {
            snapshot
                .threads()
                .find(|entry| entry.path().ends_with(&format!("dumped-sup/{name}")))
                .map(|entry| entry.restarts())
        };
        if restarted("x") == Some(1) && restarted("y") == Some(1) {
            break snapshot.to_string();
        }
        assert!(
            !log.deadline.is_go(),
            "the dump never showed the restarts: {snapshot}"
        );
        std::thread::yield_now();
    };
    sup.stop();
    sup.join().unwrap();
    assert!(
        picture.contains("dumped-sup (") && picture.contains(", one_for_all supervisor, 1 restart"),
        "{picture}"
    );
    assert!(picture.contains(", restarted 1×"), "{picture}");
}

#[test]
fn a_process_is_supervised_as_a_thread_that_runs_it() {
    let starts = Arc::new(AtomicU32::new(0));
    let counted = starts.clone();
    let sup = Supervisor::new("procs")
        .intensity(1, Duration::from_secs(3600))
        .child(Child::new("exits", move |_please_stop: &Signal| {
            counted.fetch_add(1, Ordering::SeqCst);
            let mut command = Command::new("sh");
            command.args(["-c", "exit 3"]);
            Process::run("sh", command)?.join()
        }))
        .spawn()
        .unwrap();
    let error = sup
        .join()
        .expect_err("exits fails twice: past the intensity");
    assert!(
        format!("{error:#}").contains("exited with code 3"),
        "{error:#}"
    );
    assert_eq!(starts.load(Ordering::SeqCst), 2);
}

#[test]
fn a_process_child_is_stopped_with_its_supervisor() {
    let sup = Supervisor::new("procs")
        .child(Child::new("sleeper", |_please_stop: &Signal| {
            let mut command = Command::new("sleep");
            command.arg("600");
            Process::run("sleep", command)?.join()
        }))
        .spawn()
        .unwrap();
    let deadline = Till::seconds(60.0);
    while !dump().to_string().contains("sleep 600") {
        assert!(!deadline.is_go(), "the process never showed in the dump");
        std::thread::yield_now();
    }
    sup.stop();
    sup.join()
        .expect("the supervisor asked to stop ends with Ok");
}

#[test]
fn a_panicking_child_is_restarted_as_a_failing_one_is() {
    let starts = Arc::new(AtomicU32::new(0));
    let counted = starts.clone();
    let sup = Supervisor::new("sup")
        .intensity(2, Duration::from_secs(3600))
        .child(Child::new("panics", move |_please_stop: &Signal| {
            if counted.fetch_add(1, Ordering::SeqCst) < u32::MAX {
                panic!("a bug");
            }
        }))
        .spawn()
        .unwrap();
    let error = sup.join().expect_err("three panics are past the intensity");
    assert!(format!("{error:#}").contains("a bug"), "{error:#}");
    assert_eq!(starts.load(Ordering::SeqCst), 3);
}

#[test]
fn restarts_older_than_the_intensitys_window_do_not_count() {
    let starts = Arc::new(AtomicU32::new(0));
    let counted = starts.clone();
    // A zero window forgets each restart at once: at most 1 restart in it
    // never runs out, so the child gets as many as it needs.
    let sup = Supervisor::new("sup")
        .intensity(1, Duration::ZERO)
        .child(
            Child::new("flaky", move |_please_stop: &Signal| {
                let n = counted.fetch_add(1, Ordering::SeqCst) + 1;
                if n <= 5 {
                    Err(format!("attempt {n}"))
                } else {
                    Ok(())
                }
            })
            .restart(Restart::Transient)
            .significant(),
        )
        .spawn()
        .unwrap();
    sup.join()
        .expect("flaky succeeded on its sixth start, which ended the supervisor");
    assert_eq!(starts.load(Ordering::SeqCst), 6);
}

#[test]
fn a_supervisor_past_its_intensity_makes_health_bad_while_it_gives_up() {
    let release = Signal::named("release");
    let slow = {
        let release = release.clone();
        // Ignores its please_stop until the test releases it: the supervisor
        // giving up waits for it.
        Child::new("slow-to-stop", move |_please_stop: &Signal| release.wait())
    };
    let sup = Supervisor::new("giving-up")
        .intensity(0, Duration::from_secs(3600))
        .child(slow)
        .child(Child::new("crash", |_please_stop: &Signal| {
            Err::<(), _>("crashed at once")
        }))
        .spawn()
        .unwrap();
    let deadline = Till::seconds(60.0);
    let verdict = loop {
        let verdict = more_threads::health();
        if verdict.to_string().contains("giving-up gives up") {
            break verdict;
        }
        assert!(!deadline.is_go(), "health() never named the supervisor");
        std::thread::yield_now();
    };
    assert!(!verdict.is_good());
    assert!(
        verdict
            .to_string()
            .contains("crashed at once, past its intensity"),
        "{verdict}"
    );
    release.go();
    assert!(sup.join().is_err(), "it escalates");
    assert!(
        !more_threads::health().to_string().contains("giving-up"),
        "the check goes with the supervisor"
    );
}
