//! Runs the `tour` example as a real process, so the README's main job
//! cannot rot.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The example binaries `cargo test` builds beside this test's own binary.
fn example(name: &str) -> PathBuf {
    let test_binary = std::env::current_exe().expect("the test knows its own path");
    let profile_dir = test_binary
        .parent()
        .and_then(Path::parent)
        .expect("tests live in <target>/<profile>/deps");
    let path = profile_dir.join("examples").join(name);
    assert!(
        path.exists(),
        "example `{name}` was not built at {}",
        path.display()
    );
    path
}

fn run(arguments: &[&str]) -> (Output, String, String) {
    let output = Command::new(example("tour"))
        .args(arguments)
        .output()
        .expect("the tour starts");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output, stdout, stderr)
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
    let root = corpus(line!().to_string().as_str());
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
    for thread in ["walker", "counter-0", "counter-3", "progress"] {
        assert!(
            stdout.contains(&format!("starting thread `{thread}`")),
            "{stdout}"
        );
    }
    assert!(stdout.contains("all done"), "{stdout}");
    std::fs::remove_dir_all(root).ok();
}

#[test]
fn a_please_stop_that_already_went_gives_a_partial_result_and_a_clean_exit() {
    let root = corpus(line!().to_string().as_str());
    let (output, stdout, stderr) = run(&[root.to_str().unwrap(), "--limit", "0"]);
    assert!(
        output.status.success(),
        "exit {:?}\n{stdout}\n{stderr}",
        output.status
    );
    assert!(
        stdout.contains("please_stop went before the job finished"),
        "{stdout}"
    );
    assert!(
        stdout.contains("(partial: stopped by please_stop)"),
        "{stdout}"
    );
    std::fs::remove_dir_all(root).ok();
}

#[test]
fn bad_arguments_are_refused_with_a_message_and_a_failure_code() {
    let (output, _, stderr) = run(&["--limit", "soon"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.contains("--limit needs a number of seconds"),
        "{stderr}"
    );
    let (output, _, stderr) = run(&["/no/such/directory/here"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.contains("cannot read directory /no/such/directory/here"),
        "{stderr}"
    );
}
