//! Every example but the tour, run as a real process, so none can rot.

mod common;

use common::{example, kill, run};
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

#[test]
fn the_pipeline_sums_the_squares() {
    let (output, stdout, stderr) = run("pipeline", &["100"]);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("the sum of the squares of 1..=100 is 338350"),
        "{stdout}"
    );
}

#[test]
fn a_failing_stage_is_reported_by_name_and_the_others_stop() {
    let (output, stdout, stderr) = run("pipeline", &["1000000", "--fail-at", "500"]);
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("thread main/square failed: cannot square 500: told to fail here"),
        "{stderr}"
    );
    assert!(
        !stdout.contains("the sum"),
        "no result after a failure: {stdout}"
    );
}

#[test]
fn the_pipeline_refuses_bad_arguments() {
    let (output, _, stderr) = run("pipeline", &["lots"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.contains("COUNT must be a number"), "{stderr}");
}

#[test]
fn the_daemon_beats_until_sigterm_and_exits_cleanly() {
    let mut daemon = Command::new(example("daemon"))
        .arg("20")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(daemon.stdout.take().unwrap());
    let mut seen = String::new();
    while !seen.contains("heartbeat: beat 2 ") {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "ended early:\n{seen}"
        );
        seen.push_str(&line);
    }
    kill("TERM", daemon.id());
    stdout.read_to_string(&mut seen).unwrap();
    let output = daemon.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{seen}\n{stderr}");
    assert!(seen.contains("daemon: woken by PleaseStop"), "{seen}");
    assert!(seen.contains("daemon: stopped cleanly after"), "{seen}");
    assert!(stderr.contains("SIGTERM received"), "{stderr}");
}

#[test]
fn alien_threads_join_the_tree_and_the_shutdown_waits_for_them() {
    let (output, stdout, stderr) = run("alien", &[]);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    for index in 0..3 {
        assert!(stdout.contains(&format!("── pool-{index} (")), "{stdout}");
        assert!(stdout.contains(&format!("pool-{index}: done")), "{stdout}");
    }
    assert!(
        stdout.contains("└── helper ("),
        "children of alien threads: {stdout}"
    );
    assert!(stdout.contains("known as main/stranger"), "{stdout}");
    assert!(
        stderr.contains("was not started by more-threads nor registered"),
        "{stderr}"
    );
    assert!(
        stdout.ends_with("alien: every registered thread is done\n"),
        "{stdout}"
    );
}

#[test]
fn fanout_sums_every_chunk() {
    let (output, stdout, stderr) = run("fanout", &["--chunks", "4"]);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("the checksum of 4 chunks is"), "{stdout}");
}

#[test]
fn fanout_stops_at_the_first_bad_chunk_and_names_it() {
    let (output, stdout, stderr) = run("fanout", &["--chunks", "8", "--bad-chunk", "6"]);
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("main/chunk-6 failed: chunk 6 is corrupt"),
        "the failure names the chunk: {stderr}"
    );
    assert!(
        !stdout.contains("the checksum"),
        "no result after a failure: {stdout}"
    );
    assert!(
        !stderr.contains("chunk-0"),
        "the stopped chunks are quiet, not failures: {stderr}"
    );
}

#[test]
fn log_heavy_logs_every_block_in_both_modes() {
    for mode in [
        &["--blocks", "2000"][..],
        &["--blocks", "2000", "--sync", "--workers", "2"][..],
    ] {
        let (output, stdout, stderr) = run("log_heavy", mode);
        assert!(output.status.success(), "{stdout}\n{stderr}");
        assert!(
            stdout.contains("2000 lines logged"),
            "every record reached the file ({mode:?}): {stdout}"
        );
    }
}

#[test]
fn supervise_restarts_the_flaky_ends_the_mute_and_ctrl_c_stops_the_server() {
    let mut supervisor = Command::new(example("supervise"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(supervisor.stdout.take().unwrap());
    let mut seen = String::new();
    while !seen.contains("supervise: server runs until Ctrl-C") {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "ended early:\n{seen}"
        );
        seen.push_str(&line);
    }
    kill("INT", supervisor.id());
    stdout.read_to_string(&mut seen).unwrap();
    let output = supervisor.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{seen}\n{stderr}");
    for expected in [
        "supervise: server says \"listening\"",
        "flaky: up on run 3",
        "supervise: flaky ended with exit status: 0 after its restarts",
        "mute: started",
        "supervise: mute failed: process main/mute was silent for 500.0ms: ended",
        "running process pid ",
        "supervise: woken by PleaseStop",
        "supervise: server ended with signal: 15 (SIGTERM)",
    ] {
        assert!(seen.contains(expected), "{expected:?} in\n{seen}");
    }
    for expected in [
        "restarting main/flaky in 100.0ms (restart 1, at most 5 within 60s): it failed: process main/flaky exited with code 1",
        "restarting main/flaky in 200.0ms (restart 2,",
        "flaky: not ready yet (run 1)",
        "SIGINT received",
    ] {
        assert!(stderr.contains(expected), "{expected:?} in\n{stderr}");
    }
}

#[test]
fn vs_mo_threads_prints_a_line_per_workload() {
    let (output, stdout, stderr) = run("vs_mo_threads", &[]);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    let rows: Vec<&str> = stdout.lines().filter(|line| line.contains('\t')).collect();
    assert_eq!(rows.len(), 6, "{stdout}");
    for row in rows {
        let fields: Vec<&str> = row.split('\t').collect();
        assert_eq!(fields.len(), 3, "{row}");
        assert!(
            fields[1].parse::<f64>().is_ok_and(|value| value >= 0.0),
            "{row}"
        );
    }
}

#[test]
fn two_thousand_busy_threads_stop_on_sigterm_each_with_its_last_log_line() {
    const THREADS: usize = 2000;
    let log_file =
        std::env::temp_dir().join(format!("more-threads-busy-{}.log", std::process::id()));
    let _ = std::fs::remove_file(&log_file);
    let mut busy = Command::new(example("busy"))
        .arg(THREADS.to_string())
        .env("MORE_THREADS_LOG_FILE", &log_file)
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(busy.stdout.take().unwrap());
    let mut ready = String::new();
    stdout.read_line(&mut ready).unwrap();
    assert!(ready.starts_with("ready: 2000 threads"), "{ready}");
    let signalled = std::time::Instant::now();
    kill("TERM", busy.id());
    let output = busy.wait_with_output().unwrap();
    let took = signalled.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("2,000 busy threads stopped {took:?} after SIGTERM");
    assert!(output.status.success(), "{stderr}");
    let written = std::fs::read_to_string(&log_file).unwrap();
    let _ = std::fs::remove_file(&log_file);
    let mut stopped: Vec<usize> = written
        .lines()
        .filter_map(|line| line.split_once(" stopping after "))
        .filter_map(|(before, _)| before.rsplit_once("worker-"))
        .filter_map(|(_, index)| index.parse().ok())
        .collect();
    stopped.sort_unstable();
    stopped.dedup();
    assert_eq!(
        stopped.len(),
        THREADS,
        "every thread's last line was written"
    );
    assert!(
        took < std::time::Duration::from_secs(60),
        "the stop took {took:?}"
    );
}

#[test]
fn the_fastest_mirror_wins_and_the_others_are_told_why_they_stop() {
    let (output, stdout, stderr) = run("mirrors", &[]);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("mirrors: us answered first"), "{stdout}");
    for loser in ["eu", "asia"] {
        assert!(
            stdout.contains(&format!(
                "mirrors: {loser} gave up, because main/us succeeded first"
            )),
            "{stdout}"
        );
    }
}

#[test]
fn a_mirror_that_is_down_stops_nobody_and_another_answers() {
    let (output, stdout, stderr) = run("mirrors", &["--down", "us"]);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("mirrors: eu answered first"), "{stdout}");
    assert!(
        stdout.contains("mirrors: asia gave up, because main/eu succeeded first"),
        "{stdout}"
    );
    assert!(
        stderr.contains("WARN") && stderr.contains("us: connection refused"),
        "the failure is logged, not lost: {stderr}"
    );
}

#[test]
fn a_race_past_its_deadline_fails_saying_what_each_mirror_was_doing() {
    let (output, stdout, stderr) = run("mirrors", &["--deadline", "1"]);
    assert_eq!(output.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stderr.contains(
            "the scope in thread main passed its deadline: when its deadline of 1ms passed, "
        ),
        "{stderr}"
    );
    assert!(stderr.contains("main/asia was "), "{stderr}");
    assert!(
        stdout.contains("mirrors: asia gave up, because the deadline of the scope in main passed"),
        "{stdout}"
    );
    assert!(!stdout.contains("answered first"), "{stdout}");
}

#[test]
fn the_mirrors_refuse_bad_arguments() {
    let (output, _, stderr) = run("mirrors", &["--down", "mars"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr.contains("no mirror \"mars\""), "{stderr}");
}
