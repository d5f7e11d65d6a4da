//! Runs the `tour` example as a real process, so the README's main job
//! cannot rot: what it prints, and how it exits, as a stranger would use it.

use std::path::PathBuf;
use std::process::Output;

mod common;

use common::{Running, kill};

fn run(arguments: &[&str]) -> (Output, String, String) {
    common::run("tour", arguments)
}

/// A directory of files whose words we know: 2 + 3 + 5 = 10 words, 4 lines.
fn corpus(test: &str) -> PathBuf {
    let root = scratch(test);
    std::fs::create_dir_all(root.join("nested/deeper")).unwrap();
    std::fs::write(root.join("a.txt"), "hello world\n").unwrap();
    std::fs::write(root.join("nested/b.txt"), "one two\nthree\n").unwrap();
    std::fs::write(root.join("nested/deeper/c.txt"), "a b c d e\n").unwrap();
    root
}

/// An empty directory of this test's own.
fn scratch(test: &str) -> PathBuf {
    let root =
        std::env::temp_dir().join(format!("more-threads-tour-{}-{test}", std::process::id()));
    std::fs::remove_dir_all(&root).ok();
    std::fs::create_dir_all(&root).unwrap();
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

const TREE_AT_WORK: &str = "progress: the thread tree at work, as more_threads::dump() draws it:\n";

/// The tree the tour drew while at work, one thread a line.
fn tree_at_work(stdout: &str) -> Vec<&str> {
    let start = stdout
        .find(TREE_AT_WORK)
        .unwrap_or_else(|| panic!("no tree drawn:\n{stdout}"))
        + TREE_AT_WORK.len();
    stdout[start..]
        .lines()
        .take_while(|line| !line.is_empty())
        .collect()
}

/// What the tree says `thread` was doing: its line after the name and age.
fn state_of<'a>(tree: &[&'a str], thread: &str) -> &'a str {
    let line = tree
        .iter()
        .find(|line| {
            line.trim_start_matches(['├', '└', '│', '─', ' '])
                .starts_with(&format!("{thread} ("))
        })
        .unwrap_or_else(|| panic!("no `{thread}` in the tree:\n{}", tree.join("\n")));
    line.split_once(") ")
        .map(|(_, state)| state)
        .unwrap_or_else(|| panic!("no age then state on {line:?}"))
}

/// Checks that every thread of the job is in the tree, alive, each with
/// what it does: at work, or blocked on what the tour gives it to wait on.
fn assert_every_thread_at_work(tree: &[&str]) {
    let picture = tree.join("\n");
    assert!(
        tree[0].starts_with("main ("),
        "main is the root:\n{picture}"
    );
    let main = state_of(tree, "main");
    assert!(
        main == "running"
            || main
                .starts_with("blocked on Signal \"(main/walker stopped & main/counter-0 stopped"),
        "main runs or waits for the walker and the counters: {main:?}\n{picture}"
    );
    let walker = state_of(tree, "walker");
    assert!(
        [
            "running",
            "blocked on Queue \"files\"",
            "blocked on Signal \"the tree is drawn\""
        ]
        .contains(&walker),
        "the walker lists, or waits for room or for the drawing: {walker:?}\n{picture}"
    );
    for counter in (0..4).map(|index| format!("counter-{index}")) {
        let state = state_of(tree, &counter);
        assert!(
            state == "running"
                || state == "blocked on Queue \"files\""
                || state.starts_with("blocked on Lock \"totals\""),
            "{counter} counts, or waits for a file or for the totals: {state:?}\n{picture}"
        );
    }
    assert_eq!(
        state_of(tree, "progress"),
        "running",
        "progress is drawing:\n{picture}"
    );
    assert_eq!(tree.len(), 7, "main and its six children:\n{picture}");
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
        stdout.contains("tour: starting 6 threads under `main`"),
        "{stdout}"
    );
    assert!(stdout.contains("tour: done"), "{stdout}");
    assert!(stderr.is_empty(), "nothing goes wrong: {stderr}");
    std::fs::remove_dir_all(root).ok();
}

#[test]
fn the_tree_is_drawn_while_every_thread_is_at_work_before_the_summary() {
    let root = corpus("tree");
    let (output, stdout, stderr) = run(&[root.to_str().unwrap()]);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert_every_thread_at_work(&tree_at_work(&stdout));
    let drawn = stdout.find(TREE_AT_WORK).unwrap();
    let done = stdout
        .find("tour: done")
        .unwrap_or_else(|| panic!("{stdout}"));
    let summary = stdout
        .find("summary (")
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(
        drawn < done && done < summary,
        "the tree, then the end of the work, then the summary:\n{stdout}"
    );
    assert_eq!(
        stdout.matches(TREE_AT_WORK).count(),
        1,
        "drawn once:\n{stdout}"
    );
    std::fs::remove_dir_all(root).ok();
}

#[test]
fn an_empty_directory_counts_nothing_and_still_shows_its_threads() {
    let root = scratch("empty");
    let (output, stdout, stderr) = run(&[root.to_str().unwrap()]);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert_every_thread_at_work(&tree_at_work(&stdout));
    assert_eq!(summary_value(&stdout, "walker listed"), 0, "{stdout}");
    assert_eq!(summary_value(&stdout, "words"), 0, "{stdout}");
    assert!(!stdout.contains("wordiest file"), "{stdout}");
    std::fs::remove_dir_all(root).ok();
}

#[test]
fn a_file_given_for_the_directory_is_counted_alone() {
    let root = corpus("file");
    let file = root.join("nested/b.txt");
    let (output, stdout, stderr) = run(&[file.to_str().unwrap()]);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains(&format!("tour: counting the words of {}\n", file.display())),
        "{stdout}"
    );
    assert!(stdout.contains("walker: listed 1 file\n"), "{stdout}");
    assert_eq!(summary_value(&stdout, "counters read"), 1, "{stdout}");
    assert_eq!(summary_value(&stdout, "words"), 3, "{stdout}");
    std::fs::remove_dir_all(root).ok();
}

#[test]
fn a_path_that_cannot_be_counted_is_an_error_that_names_it() {
    for (path, message) in [
        (
            "/no/such/directory/here",
            "tour: cannot read /no/such/directory/here: No such file or directory",
        ),
        (
            "/dev/null",
            "tour: cannot count /dev/null: neither a directory nor a regular file",
        ),
        // After `--`, a name that looks like an option is a path.
        ("-h", "tour: cannot read -h: No such file or directory"),
    ] {
        let (output, stdout, stderr) = run(&["--", path]);
        assert_eq!(output.status.code(), Some(1), "{path}: {stdout}\n{stderr}");
        assert!(stderr.starts_with(message), "{path}: {stderr}");
        assert!(stdout.is_empty(), "{path}: nothing started: {stdout}");
    }
}

#[test]
fn help_prints_the_usage_on_stdout_and_exits_0() {
    let (output, usage, stderr) = run(&["--help"]);
    assert_eq!(output.status.code(), Some(0), "{usage}\n{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    assert!(
        usage.starts_with("tour: counts the words of every file under DIRECTORY"),
        "what the tour does, first:\n{usage}"
    );
    for part in [
        "Usage: tour [OPTIONS] [DIRECTORY]",
        "[DIRECTORY]",
        "--limit <SECONDS>",
        "--delay-ms <N>",
        "--profile",
        "--trace <FILE>",
        "--console",
        "-h, --help",
        "Ctrl-C",
        "RUST_LOG",
        "Exit status:",
    ] {
        assert!(usage.contains(part), "the usage names {part}:\n{usage}");
    }
    // The short form, and anywhere on the line, says the same.
    for arguments in [&["-h"][..], &["some/directory", "--limit", "1", "-h"][..]] {
        let (output, stdout, _) = run(arguments);
        assert_eq!(output.status.code(), Some(0), "{arguments:?}");
        assert_eq!(stdout, usage, "{arguments:?}");
    }
}

#[test]
fn an_unknown_option_is_named_on_stderr_with_the_usage_hint_and_exit_2() {
    for (option, message) in [
        (
            "--frobnicate",
            "error: unexpected argument '--frobnicate' found",
        ),
        ("-x", "error: unexpected argument '-x' found"),
        (
            "--profile=yes",
            "error: unexpected value 'yes' for '--profile' found",
        ),
    ] {
        let (output, stdout, stderr) = run(&[option]);
        assert_eq!(output.status.code(), Some(2), "{option}: {stderr}");
        assert!(stdout.is_empty(), "{option}: {stdout}");
        assert!(stderr.starts_with(message), "{option}: {stderr}");
        assert!(
            stderr.contains("Usage: tour [OPTIONS] [DIRECTORY]") && stderr.contains("try '--help'"),
            "{option}: the usage hint: {stderr}"
        );
    }
}

#[test]
fn bad_values_are_refused_with_a_message_and_exit_2() {
    for (arguments, message) in [
        (
            &["--limit", "soon"][..],
            "invalid value 'soon' for '--limit <SECONDS>'",
        ),
        (
            &["--limit", "-1"][..],
            "invalid value '-1' for '--limit <SECONDS>'",
        ),
        (
            &["--limit"][..],
            "a value is required for '--limit <SECONDS>'",
        ),
        (
            &["--delay-ms", "-3"][..],
            "invalid value '-3' for '--delay-ms <N>'",
        ),
        (
            &["--trace", "a", "--trace=b"][..],
            "the argument '--trace <FILE>' cannot be used multiple times",
        ),
        (
            &["--console", "--console"][..],
            "the argument '--console' cannot be used multiple times",
        ),
        (
            &["--console=yes"][..],
            "unexpected value 'yes' for '--console' found",
        ),
        (&["one", "two"][..], "unexpected argument 'two' found"),
    ] {
        let (output, _, stderr) = run(arguments);
        assert_eq!(output.status.code(), Some(2), "{arguments:?}: {stderr}");
        assert!(stderr.contains(message), "{arguments:?}: {stderr}");
    }
}

#[test]
fn a_limit_that_already_went_gives_a_partial_result_and_a_clean_exit() {
    let root = corpus("limit");
    let (output, stdout, stderr) = run(&[root.to_str().unwrap(), "--limit=0"]);
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

/// 203 files: at 200 ms each over four counters, ten seconds of work,
/// which a test interrupts long before its end.
fn slow_corpus(test: &str) -> PathBuf {
    let root = corpus(test);
    for index in 0..200 {
        std::fs::write(root.join(format!("extra-{index}.txt")), "one more file\n").unwrap();
    }
    root
}

#[test]
fn ctrl_c_stops_every_thread_and_the_tour_reports_a_partial_result() {
    let root = slow_corpus("ctrl-c");
    let mut tour = Running::start("tour", &[root.to_str().unwrap(), "--delay-ms", "200"]);
    tour.wait_for("a progress line", |stdout, _| stdout.contains("progress:"));
    kill("INT", tour.id());
    let (status, stdout, stderr) = tour.finish();
    assert!(status.success(), "exit {status:?}\n{stdout}\n{stderr}");
    assert!(stderr.contains("SIGINT received"), "{stderr}");
    assert!(
        stdout.contains("tour: please_stop went"),
        "says so: {stdout}"
    );
    assert!(
        stdout.contains("(partial: stopped by please_stop)"),
        "{stdout}"
    );
    let read = summary_value(&stdout, "counters read");
    assert!(read < 203, "stopped before reading everything: {read}");
    std::fs::remove_dir_all(root).ok();
}

#[test]
fn ctrl_backslash_draws_the_tree_on_stderr_while_the_threads_work() {
    let root = slow_corpus("sigquit");
    let mut tour = Running::start("tour", &[root.to_str().unwrap(), "--delay-ms", "200"]);
    tour.wait_for("a progress line", |stdout, _| stdout.contains("progress:"));
    kill("QUIT", tour.id());
    tour.wait_for("the tree on stderr", |_, stderr| {
        stderr.contains("main (") && stderr.contains("└── progress (")
    });
    assert!(
        tour.stderr.contains("── counter-3 ("),
        "the counters, still at work:\n{}",
        tour.stderr
    );
    kill("INT", tour.id());
    let (status, stdout, stderr) = tour.finish();
    assert!(status.success(), "exit {status:?}\n{stdout}\n{stderr}");
    std::fs::remove_dir_all(root).ok();
}

#[test]
fn a_reader_that_goes_away_stops_the_tour_quietly() {
    use std::io::BufRead;
    use std::process::{Command, Stdio};
    // Fifty seconds of work: `tour | head -1` must not wait for its end.
    let root = slow_corpus("pipe");
    let started = std::time::Instant::now();
    let mut tour = Command::new(common::example("tour"))
        .args([root.to_str().unwrap(), "--delay-ms", "1000"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let watchdog = common::Watchdog::new(tour.id(), common::HANG);
    let mut first = String::new();
    std::io::BufReader::new(tour.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("tour: "), "{first}");
    // The reader is dropped here: the tour's next line has nowhere to go.
    let output = tour.wait_with_output().unwrap();
    assert!(
        !watchdog.disarm(),
        "the tour still ran after {:?}",
        common::HANG
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "exit {:?}\n{stderr}",
        output.status
    );
    assert!(!stderr.contains("panicked"), "no thread panics: {stderr}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "stopped, rather than counting on for {:?}",
        started.elapsed()
    );
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
