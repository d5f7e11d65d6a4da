//! Runs the `tour` example as a real process, so the README's main job
//! cannot rot.

use std::path::PathBuf;
use std::process::{Command, Output};

mod common;

use common::{example, kill};

fn run(arguments: &[&str]) -> (Output, String, String) {
    common::run("tour", arguments)
}

/// A directory of files whose words we know: 2 + 3 + 5 = 10 words, 4 lines.
fn corpus(test: &str) -> PathBuf {
    let root =
        std::env::temp_dir().join(format!("more-threads-tour-{}-{test}", std::process::id()));
    std::fs::create_dir_all(root.join("nested/deeper")).unwrap();
    std::fs::write(root.join("a.txt"), "hello world\n").unwrap();
    std::fs::write(root.join("nested/b.txt"), "one two\nthree\n").unwrap();
    std::fs::write(root.join("nested/deeper/c.txt"), "a b c d e\n").unwrap();
    root
}

fn summary_value(stdout: &str, label: &str) -> usize {
    stdout
        .lines()
        .find_map(|line| line.trim().strip_prefix(label))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|number| number.parse().ok())
        .unwrap_or_else(|| panic!("no `{label}` line in the summary:\n{stdout}"))
}

#[test]
fn the_tour_counts_every_word_of_a_directory_and_says_what_it_did() {
    let root = corpus("counts");
    let (output, stdout, stderr) = run(&[root.to_str().unwrap()]);
    assert!(
        output.status.success(),
        "exit {:?}\n{stdout}\n{stderr}",
        output.status
    );
    assert_eq!(summary_value(&stdout, "walker listed"), 3, "{stdout}");
    assert_eq!(summary_value(&stdout, "counters read"), 3, "{stdout}");
    assert_eq!(summary_value(&stdout, "words"), 10, "{stdout}");
    assert_eq!(summary_value(&stdout, "lines"), 4, "{stdout}");
    assert!(
        stdout.contains("tour: started 6 threads under `main`"),
        "{stdout}"
    );
    assert!(
        stdout.contains("the thread tree right now:\nmain ("),
        "the dump is drawn: {stdout}"
    );
    assert!(stdout.contains("── progress ("), "{stdout}");
    assert!(stdout.contains("tour: done"), "{stdout}");
    std::fs::remove_dir_all(root).ok();
}

#[test]
fn a_limit_that_already_went_gives_a_partial_result_and_a_clean_exit() {
    let root = corpus("limit");
    let (output, stdout, stderr) = run(&[root.to_str().unwrap(), "--limit", "0"]);
    assert!(
        output.status.success(),
        "exit {:?}\n{stdout}\n{stderr}",
        output.status
    );
    assert!(stdout.contains("tour: please_stop went"), "{stdout}");
    assert!(
        stdout.contains("(partial: stopped by please_stop)"),
        "{stdout}"
    );
    std::fs::remove_dir_all(root).ok();
}

#[test]
fn bad_arguments_are_refused_with_a_message_and_a_failure_code() {
    for (arguments, message) in [
        (
            &["--limit", "soon"][..],
            "--limit needs a number of seconds",
        ),
        (&["--delay-ms", "-3"][..], "--delay-ms needs a whole number"),
        (
            &["/no/such/directory/here"][..],
            "cannot read directory /no/such/directory/here",
        ),
        (
            &["--frobnicate"][..],
            "unexpected argument \"--frobnicate\"",
        ),
    ] {
        let (output, _, stderr) = run(arguments);
        assert_eq!(output.status.code(), Some(1), "{arguments:?}");
        assert!(stderr.contains(message), "{arguments:?}: {stderr}");
    }
}

#[test]
fn ctrl_c_stops_every_thread_and_the_tour_reports_a_partial_result() {
    use std::io::{BufRead, BufReader, Read};
    let root = corpus("ctrl-c");
    for index in 0..200 {
        std::fs::write(root.join(format!("extra-{index}.txt")), "one more file\n").unwrap();
    }
    let mut tour = Command::new(example("tour"))
        .args([root.to_str().unwrap(), "--delay-ms", "20"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(tour.stdout.take().unwrap());
    let mut seen = String::new();
    // 203 files at 20 ms each over 4 counters take a second: interrupt at
    // the first progress line.
    while !seen.contains("progress:") {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "ended early:\n{seen}"
        );
        seen.push_str(&line);
    }
    kill("INT", tour.id());
    stdout.read_to_string(&mut seen).unwrap();
    let output = tour.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "exit {:?}\n{seen}\n{stderr}",
        output.status
    );
    assert!(stderr.contains("SIGINT received"), "{stderr}");
    assert!(seen.contains("(partial: stopped by please_stop)"), "{seen}");
    let read = summary_value(&seen, "counters read");
    assert!(read < 203, "stopped before reading everything: {read}");
    std::fs::remove_dir_all(root).ok();
}

#[test]
fn with_profile_the_tour_prints_where_each_threads_time_went() {
    let root = corpus("profile");
    let trace = root.join("timeline.json");
    let (output, stdout, stderr) = run(&[
        root.to_str().unwrap(),
        "--profile",
        "--trace",
        trace.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("profile (where each thread's time went"),
        "{stdout}"
    );
    for row in ["main ", "walker ", "counter-# ", "progress "] {
        assert!(
            stdout.lines().any(|line| line.starts_with(row)),
            "a row {row:?} in the table:\n{stdout}"
        );
    }
    assert!(
        stdout
            .lines()
            .any(|line| line.starts_with("counter-#     4 ")),
        "the four counters fold into one row:\n{stdout}"
    );
    let json = std::fs::read_to_string(&trace).unwrap();
    assert!(json.starts_with(r#"{"traceEvents":["#), "{json}");
    std::fs::remove_dir_all(root).ok();
}
