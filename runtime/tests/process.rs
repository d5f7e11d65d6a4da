//! Child processes in the tree, on real programs (`sleep`, `sh`, `seq`):
//! how they are stopped, what their failures carry, that no output is
//! lost, the silence timeout, and restarts.
//!
//! What needs a process of its own (our process killed by SIGKILL, main's
//! shutdown) is in `process_exit.rs`.

mod common;

use common::alive;
use more_threads::{
    Process, Signal, Thread, ThreadError, Till, dump, process::Output, process::ProcessErrorKind,
    scope, thread::Restart,
};
use std::os::unix::process::ExitStatusExt;
use std::process::Command;
use std::time::{Duration, Instant};

fn sh(script: &str) -> Command {
    let mut command = Command::new("sh");
    command.args(["-c", script]);
    command
}

/// Waits until `condition` holds, failing after 30 s.
fn eventually(what: &str, condition: impl Fn() -> bool) {
    let started = Instant::now();
    while !condition() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "never happened: {what}"
        );
        Till::seconds(0.005).wait();
    }
}

/// The first line of a process's stdout queue.
fn first_line(process: &Process) -> String {
    let never = Signal::never();
    process
        .stdout()
        .expect("stdout is a queue")
        .pop_till(&never)
        .expect("a first line")
}

#[test]
fn sleep_30_is_stopped_by_sigterm_within_the_grace_period() {
    let mut command = Command::new("sleep");
    command.arg("30");
    let sleeper = Process::builder("sleep-30", command)
        .grace(Duration::from_secs(60))
        .spawn()
        .unwrap();
    let pid = sleeper.pid();
    eventually("dump shows the process with its pid and command", || {
        dump().threads().any(|entry| {
            entry.path().ends_with("/sleep-30")
                && entry.state() == format!("running process pid {pid}: sleep 30")
        })
    });
    let asked = Instant::now();
    sleeper.stop();
    let status = sleeper.join().expect("stopped in time: not a failure");
    assert_eq!(status.signal(), Some(15), "ended by our SIGTERM");
    assert!(
        asked.elapsed() < Duration::from_secs(60),
        "did not wait for the SIGKILL"
    );
    assert!(!alive(pid));
}

#[test]
fn a_child_that_ignores_sigterm_is_killed_after_the_grace_period_and_reported() {
    let stubborn = Process::builder("stubborn", sh("trap '' TERM; echo ready; sleep 30"))
        .stdout(Output::Queue)
        .grace(Duration::from_millis(300))
        .spawn()
        .unwrap();
    assert_eq!(first_line(&stubborn), "ready", "the trap is set");
    let asked = Instant::now();
    stubborn.stop();
    let error = stubborn.join().unwrap_err();
    assert!(
        asked.elapsed() >= Duration::from_millis(300),
        "SIGKILL only after the grace period"
    );
    assert_eq!(error.kind(), ProcessErrorKind::Killed);
    assert_eq!(error.signal(), Some(9));
    assert!(
        error
            .to_string()
            .ends_with("/stubborn did not end after SIGTERM within its grace period: killed"),
        "{error}"
    );
}

#[test]
fn a_grandchild_started_by_a_shell_is_gone_after_the_stop() {
    let shell = Process::builder("shell", sh("sleep 300 & echo $!; wait"))
        .stdout(Output::Queue)
        .spawn()
        .unwrap();
    let grandchild: u32 = first_line(&shell).parse().unwrap();
    assert!(alive(grandchild));
    shell.stop();
    shell.join().unwrap();
    eventually("the grandchild is gone", || !alive(grandchild));
}

#[test]
fn what_a_process_leaves_in_its_group_when_it_exits_is_killed() {
    let leaver = Process::builder("leaver", sh("sleep 300 & echo $!"))
        .stdout(Output::Queue)
        .spawn()
        .unwrap();
    let left: u32 = first_line(&leaver).parse().unwrap();
    leaver.join().unwrap();
    eventually("what it left is gone", || !alive(left));
}

#[test]
fn exit_code_3_is_a_process_error_with_the_stderr_tail() {
    let script = "for i in $(seq 1 30); do echo \"line $i\" >&2; done; exit 3";
    let error = Process::run("fails", sh(script))
        .unwrap()
        .join()
        .unwrap_err();
    assert_eq!(error.kind(), ProcessErrorKind::Exited);
    assert_eq!(error.code(), Some(3));
    assert!(error.path().ends_with("/fails"), "{}", error.path());
    let expected: Vec<String> = (11..=30).map(|i| format!("line {i}")).collect();
    assert_eq!(error.stderr_tail(), expected, "the last 20 lines");
    let described = format!("{error:#}");
    assert!(described.contains("/fails exited with code 3: its stderr ended with:\n    line 11\n"));
    assert!(described.ends_with("\n    line 30"), "{described}");
}

#[test]
fn a_hundred_thousand_stdout_lines_all_arrive_in_order() {
    let mut command = Command::new("seq");
    command.args(["1", "100000"]);
    let counter = Process::builder("seq", command)
        .stdout(Output::Queue)
        .spawn()
        .unwrap();
    let lines = counter.stdout().unwrap().clone();
    let never = Signal::never();
    let mut expected = 1_u32;
    for line in lines.iter_till(&never) {
        assert_eq!(line, expected.to_string());
        expected += 1;
    }
    assert_eq!(expected, 100_001, "every line, then the queue closed");
    assert!(counter.join().unwrap().success());
}

#[test]
fn the_silence_timeout_ends_a_process_that_says_nothing() {
    let mut command = Command::new("sleep");
    command.arg("30");
    let started = Instant::now();
    let error = Process::builder("mute", command)
        .silence(Duration::from_millis(200))
        .spawn()
        .unwrap()
        .join()
        .unwrap_err();
    assert_eq!(error.kind(), ProcessErrorKind::Silent);
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert!(
        error
            .to_string()
            .ends_with("/mute was silent for 200.0ms: ended"),
        "{error}"
    );
}

#[test]
fn output_keeps_the_silence_timeout_away_and_the_start_up_timeout_is_its_own() {
    // Talks every 50 ms for a while, then stops talking: silent after that.
    let chatty = sh("for i in 1 2 3 4 5 6; do echo $i; sleep 0.05; done; sleep 30");
    let error = Process::builder("chatty", chatty)
        .stdout(Output::Queue)
        .startup(Duration::from_secs(20))
        .silence(Duration::from_millis(1500))
        .spawn()
        .unwrap();
    let lines = error.stdout().unwrap().clone();
    let started = Instant::now();
    let error = error.join().unwrap_err();
    assert_eq!(error.kind(), ProcessErrorKind::Silent);
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "ended by the silence after its output, not by the 20 s start-up timeout"
    );
    assert_eq!(lines.pop_all(), ["1", "2", "3", "4", "5", "6"]);
    // Slow to start: the start-up timeout, not the silence, applies first.
    let slow_start = sh("sleep 30");
    let error = Process::builder("slow-start", slow_start)
        .startup(Duration::from_millis(100))
        .silence(Duration::from_secs(3600))
        .spawn()
        .unwrap()
        .join()
        .unwrap_err();
    assert_eq!(error.kind(), ProcessErrorKind::Silent);
    assert!(error.to_string().contains("silent for 100.0ms"), "{error}");
}

#[test]
fn a_program_that_does_not_exist_is_an_err_naming_it() {
    let error = Process::run("ghost", Command::new("/no/such/program")).unwrap_err();
    assert_eq!(error.kind(), ProcessErrorKind::NotStarted);
    assert!(
        error
            .to_string()
            .ends_with("/ghost could not start `/no/such/program`"),
        "{error}"
    );
    let source = std::error::Error::source(&error).unwrap().to_string();
    assert!(source.contains("No such file"), "{source}");
    assert!(
        !dump()
            .threads()
            .any(|entry| entry.path().ends_with("/ghost")),
        "nothing left in the tree"
    );
}

#[test]
fn a_bad_name_is_an_err_too() {
    let error = Process::run("a/b", Command::new("true")).unwrap_err();
    assert_eq!(error.kind(), ProcessErrorKind::Thread);
    assert!(
        format!("{error:#}").contains("cannot contain '/'"),
        "{error:#}"
    );
}

#[test]
fn a_process_ends_with_its_parent_thread_and_with_a_scope() {
    let pid = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
    let parent = {
        let pid = pid.clone();
        Thread::run("process-parent", move |please_stop| {
            let mut command = Command::new("sleep");
            command.arg("300");
            let process = Process::run("child-process", command)?;
            pid.store(process.pid(), std::sync::atomic::Ordering::SeqCst);
            process.release();
            please_stop.wait();
            Ok::<_, more_threads::process::ProcessError>(())
        })
        .unwrap()
    };
    eventually("the process started", || {
        pid.load(std::sync::atomic::Ordering::SeqCst) != 0
    });
    parent.stop();
    parent.join().unwrap();
    assert!(!alive(pid.load(std::sync::atomic::Ordering::SeqCst)));

    let in_scope = scope(|scope| {
        let child = scope.spawn("scoped", |_| {
            let mut command = Command::new("sleep");
            command.arg("300");
            let process = Process::run("scoped-process", command)?;
            let pid = process.pid();
            process.release();
            Ok::<_, more_threads::process::ProcessError>(pid)
        });
        child.join()
    })
    .unwrap();
    assert!(
        !alive(in_scope),
        "the scoped thread's end ended its process"
    );
}

#[test]
fn restart_policy_a_process_that_fails_twice_then_succeeds() {
    let counter = std::env::temp_dir().join(format!("more-threads-restart-{}", std::process::id()));
    let _ = std::fs::remove_file(&counter);
    let script = format!(
        "n=$(cat {c} 2>/dev/null || echo 0); n=$((n+1)); echo $n > {c}; [ $n -ge 3 ]",
        c = counter.display()
    );
    let status = Process::builder("twice", sh(&script))
        .restart(
            Restart::on_failure()
                .backoff(Duration::from_millis(10), Duration::from_millis(100))
                .at_most(5, Duration::from_secs(60)),
        )
        .spawn()
        .unwrap()
        .join()
        .unwrap();
    assert!(status.success());
    let runs = std::fs::read_to_string(&counter).unwrap();
    let _ = std::fs::remove_file(&counter);
    assert_eq!(runs.trim(), "3", "two failures, two restarts, one success");
}

#[test]
fn stdin_fed_from_a_thread_comes_back_on_stdout_in_full() {
    let mut process = Process::builder("cat", Command::new("cat"))
        .stdin(more_threads::process::Input::Piped)
        .stdout(Output::Queue)
        .spawn()
        .unwrap();
    let mut stdin = process.take_stdin().unwrap();
    assert!(process.take_stdin().is_none(), "taken once");
    let feeder = Thread::run("feeder", move |_| {
        use std::io::Write;
        for index in 0..1000 {
            writeln!(stdin, "fed {index}")?;
        }
        stdin.close();
        Ok::<_, std::io::Error>(())
    })
    .unwrap();
    feeder.join().unwrap();
    let lines = process.stdout().unwrap().clone();
    process.join().unwrap();
    let lines = lines.pop_all();
    assert_eq!(lines.len(), 1000);
    assert_eq!(lines[999], "fed 999");
}

#[test]
fn join_of_a_thread_that_returns_a_process_error_keeps_it_as_the_source() {
    let thread = Thread::run("runs-false", |_| {
        Process::run("false", Command::new("false"))?.join()?;
        Ok::<_, more_threads::process::ProcessError>(())
    })
    .unwrap();
    let error: ThreadError = thread.join().unwrap_err();
    assert!(
        format!("{error:#}").ends_with("/runs-false/false exited with code 1"),
        "{error:#}"
    );
}

#[test]
fn a_released_process_that_fails_is_logged_with_its_stderr_tail_and_its_lines_go_to_the_log() {
    common::capture_log();
    let released = Process::run(
        "released",
        sh("echo 'said on stdout'; echo 'cannot open config' >&2; exit 4"),
    )
    .unwrap();
    let stopped = released.stopped().clone();
    released.release();
    stopped.wait();
    eventually("the failure is logged", || {
        !common::logged_with("/released exited with code 4").is_empty()
    });
    let lines = common::logged_with("");
    let failure = lines
        .iter()
        .find(|line| line.contains("/released exited with code 4"))
        .unwrap();
    assert!(failure.starts_with("ERROR "), "{failure}");
    assert!(
        failure.ends_with("exited with code 4: its stderr ended with:\n    cannot open config"),
        "{failure}"
    );
    assert!(
        lines.contains(&"INFO said on stdout".to_owned()),
        "{lines:#?}"
    );
    assert!(
        lines.contains(&"WARN cannot open config".to_owned()),
        "{lines:#?}"
    );
}

#[test]
fn stop_twice_and_join_from_another_thread() {
    let mut command = Command::new("sleep");
    command.arg("300");
    let process = Process::run("stopped-twice", command).unwrap();
    process.stop();
    process.stop();
    let joiner = Thread::run("joiner", move |_| process.join()).unwrap();
    let status = joiner.join().unwrap();
    assert_eq!(status.signal(), Some(15));
}

#[test]
fn a_process_silent_past_its_timeout_makes_health_bad_until_it_is_ended() {
    // It ignores SIGTERM, so its end takes the grace period: long enough
    // to see health() say so, short enough for a test.
    let mut command = Command::new("sh");
    command.args(["-c", "trap '' TERM; sleep 30"]);
    let mute = Process::builder("mute-health", command)
        .silence(Duration::from_millis(100))
        .grace(Duration::from_secs(2))
        .spawn()
        .unwrap();
    let deadline = Till::seconds(60.0);
    let verdict = loop {
        let verdict = more_threads::health();
        if verdict.to_string().contains("mute-health") {
            break verdict;
        }
        assert!(!deadline.is_go(), "health() never named the silent process");
        std::thread::yield_now();
    };
    assert!(!verdict.is_good());
    assert!(
        verdict
            .to_string()
            .contains("was silent past its timeout (100ms): it is being ended"),
        "{verdict}"
    );
    assert_eq!(mute.join().unwrap_err().kind(), ProcessErrorKind::Silent);
    assert!(
        !more_threads::health().to_string().contains("mute-health"),
        "the check goes with the process"
    );
}
