//! The tour with `--console`, as a stranger would watch it: the tour runs
//! as a real process, a client attaches to the socket it names, and what
//! the client is sent is checked against the tree the tour is known to
//! build. Every wait is for a state (a line printed, a snapshot showing
//! it), bounded by the examples' hang limit; nothing sleeps and hopes.
//!
//! The client here speaks protocol 1 itself over the socket: the
//! `more-threads-console` binary belongs to another package, which cargo
//! does not build for this one's tests. When it was built (`cargo test
//! --workspace` builds it beside this test), it is run too.

#![cfg(unix)]

use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

use common::{Running, kill};

/// The tour's whole tree while it counts.
const TREE: [&str; 8] = [
    "main",
    "main/walker",
    "main/counter-0",
    "main/counter-1",
    "main/counter-2",
    "main/counter-3",
    "main/progress",
    "main/console",
];

/// A directory of `files` small files, and a console directory, both this
/// test's own.
fn scratch(test: &str, files: usize) -> (PathBuf, PathBuf) {
    let root = std::env::temp_dir().join(format!(
        "more-threads-console-tour-{}-{test}",
        std::process::id()
    ));
    std::fs::remove_dir_all(&root).ok();
    let corpus = root.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    for index in 0..files {
        std::fs::write(corpus.join(format!("{index}.txt")), "some words here\n").unwrap();
    }
    let runtime = root.join("runtime");
    std::fs::create_dir_all(&runtime).unwrap();
    (corpus, runtime)
}

/// The socket the tour names on its `tour: console at SOCKET — …` line.
fn socket_of(stdout: &str) -> PathBuf {
    let line = stdout
        .lines()
        .find_map(|line| line.strip_prefix("tour: console at "))
        .unwrap_or_else(|| panic!("no `tour: console at` line:\n{stdout}"));
    let (socket, _) = line
        .split_once(" — attach with")
        .unwrap_or_else(|| panic!("the line says how to attach: {line}"));
    PathBuf::from(socket)
}

/// A client of protocol 1: the hello read, then one JSON object a line.
struct Client {
    lines: BufReader<UnixStream>,
    writer: UnixStream,
}

impl Client {
    fn attach(socket: &Path) -> (Client, Value) {
        let stream = UnixStream::connect(socket)
            .unwrap_or_else(|error| panic!("connecting to {}: {error}", socket.display()));
        // A console that stops sending fails the test, not hangs it.
        stream.set_read_timeout(Some(common::HANG)).unwrap();
        let writer = stream.try_clone().unwrap();
        let mut client = Client {
            lines: BufReader::new(stream),
            writer,
        };
        let hello = client.next();
        (client, hello)
    }

    fn next(&mut self) -> Value {
        let mut line = String::new();
        let read = self
            .lines
            .read_line(&mut line)
            .expect("a line from the console");
        assert!(read > 0, "the console closed the connection");
        serde_json::from_str(&line).unwrap_or_else(|error| panic!("{error}: {line}"))
    }

    fn send(&mut self, command: &Value) {
        writeln!(self.writer, "{command}").expect("a command to the console");
    }
}

fn thread_at<'a>(snapshot: &'a Value, path: &str) -> Option<&'a Value> {
    snapshot["threads"]
        .as_array()?
        .iter()
        .find(|thread| thread["path"] == path)
}

/// `more-threads-console`, if `cargo test --workspace` built it beside
/// this test.
fn built_client() -> Option<PathBuf> {
    let test_binary = std::env::current_exe().ok()?;
    let profile_dir = test_binary.parent()?.parent()?;
    let client = profile_dir.join("more-threads-console");
    client.exists().then_some(client)
}

/// 2,000 files at 50 ms each over four counters: 25 s of work, which the
/// test interrupts. Past the queue's 1,024, the walker waits for room, so
/// it is alive, blocked on Queue "files", for seconds: the snapshot the
/// test waits for cannot slip by.
#[test]
fn a_client_sees_the_tours_threads_and_its_queue_then_ctrl_c_ends_both() {
    let (corpus, runtime) = scratch("live", 2_000);
    let mut tour = Running::start_with(
        "tour",
        &[corpus.to_str().unwrap(), "--console", "--delay-ms", "50"],
        &[("XDG_RUNTIME_DIR", runtime.to_str().unwrap())],
    );
    tour.wait_for("the console's socket", |stdout, _| {
        stdout.contains("tour: console at ")
    });
    let socket = socket_of(&tour.stdout);
    assert_eq!(
        socket,
        runtime
            .join("more-threads")
            .join(format!("{}.sock", tour.id())),
        "the socket is in XDG_RUNTIME_DIR/more-threads, named by the pid"
    );
    let (mut client, hello) = Client::attach(&socket);
    assert_eq!(hello["type"], "hello", "{hello}");
    assert_eq!(hello["protocol"], 1, "{hello}");
    assert_eq!(hello["pid"], tour.id(), "{hello}");
    assert_eq!(hello["program"], "tour", "{hello}");
    // Snapshots every 10 ms from here on: the wait below is for a state,
    // and a short interval only makes it seen sooner.
    client.send(&serde_json::json!({"command": "interval", "ms": 10}));

    let mut holder_caught = None;
    let snapshot = loop {
        let line = client.next();
        match line["type"].as_str() {
            Some("interval") => continue,
            Some("snapshot") => {}
            _ => panic!("snapshots and the interval's answer only: {line}"),
        }
        // A Lock holder, if one is caught: the counters hold "totals" a
        // few microseconds, so seeing it is luck, never required.
        if holder_caught.is_none() {
            holder_caught = line["threads"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|thread| thread["blocked_on"] == r#"Lock "totals""#)
                .cloned();
        }
        let walker_waits_for_room = thread_at(&line, "main/walker")
            .is_some_and(|walker| walker["blocked_on"] == r#"Queue "files""#);
        let all_there = TREE.iter().all(|path| thread_at(&line, path).is_some());
        if walker_waits_for_room && all_there {
            break line;
        }
    };

    for path in TREE {
        let thread = thread_at(&snapshot, path).unwrap();
        let state = thread["state"].as_str().unwrap_or_default();
        assert!(!state.is_empty(), "{path} has a state: {thread}");
        assert_eq!(thread["in_deadlock"], false, "{thread}");
    }
    let walker = thread_at(&snapshot, "main/walker").unwrap();
    assert_eq!(
        walker["state"], r#"blocked on Queue "files""#,
        "the walker waits for room in the full queue: {walker}"
    );
    for counter in (0..4).map(|index| format!("main/counter-{index}")) {
        let state = thread_at(&snapshot, &counter).unwrap()["state"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(
            state == "running" || state.starts_with("blocked on "),
            "{counter} counts, or waits for a file, the totals or its pretended disk: {state}"
        );
    }
    assert!(
        snapshot["threads"]
            .as_array()
            .unwrap()
            .iter()
            .any(|thread| thread["path"]
                .as_str()
                .is_some_and(|path| path.starts_with("main/console/client-"))),
        "this client's thread is in the tree: {snapshot}"
    );
    assert_eq!(snapshot["deadlocks"], serde_json::json!([]), "{snapshot}");
    match &holder_caught {
        Some(waiter) => {
            let holder = waiter["holder"].as_str().unwrap_or_default();
            assert!(
                holder == "main" || holder.starts_with("main/counter-"),
                "Lock \"totals\" is held by a counter: {waiter}"
            );
            println!("a waiter on Lock \"totals\" was caught, held by {holder}");
        }
        None => println!("no waiter on Lock \"totals\" was caught (that is luck)"),
    }
    // The Queue "files": full, or nearly (the counters pop as the walker
    // adds), and the walker counted as its blocked adder, from the same
    // dump as the walker's state above.
    let files = snapshot["queues"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|queue| queue["name"] == "files")
        .unwrap_or_else(|| panic!("the Queue \"files\" is in the snapshot: {snapshot}"));
    assert_eq!(files["capacity"], 1024, "{files}");
    assert_eq!(files["closed"], false, "the walker still lists: {files}");
    let len = files["len"].as_u64().unwrap_or(u64::MAX);
    assert!(len <= 1024, "at most its capacity: {files}");
    assert!(
        files["adders_blocked"]
            .as_u64()
            .is_some_and(|adders| adders >= 1),
        "the walker waits to add: {files}"
    );
    assert!(
        files["poppers_blocked"].as_u64().is_some(),
        "its blocked poppers are counted: {files}"
    );

    // The real client, when it was built: one snapshot of the same tree.
    match built_client() {
        Some(binary) => {
            let output = Command::new(&binary)
                .args(["--json", &tour.id().to_string()])
                .env("XDG_RUNTIME_DIR", &runtime)
                .output()
                .expect("more-threads-console runs");
            assert!(output.status.success(), "--json exits 0: {output:?}");
            let printed: Value = serde_json::from_slice(&output.stdout)
                .unwrap_or_else(|error| panic!("--json prints JSON: {error}: {output:?}"));
            for path in ["main", "main/console"] {
                assert!(thread_at(&printed, path).is_some(), "{path}: {printed}");
            }
        }
        None => println!("more-threads-console is not built here: run through the socket only"),
    }

    drop(client);
    kill("INT", tour.id());
    let (status, stdout, stderr) = tour.finish();
    assert!(status.success(), "exit {status:?}\n{stdout}\n{stderr}");
    assert!(
        stdout.contains("tour: please_stop went"),
        "stopped at work: {stdout}"
    );
    assert!(
        !stdout.contains("the console stays open"),
        "stopped, it does not wait for another Ctrl-C: {stdout}"
    );
    assert!(!socket.exists(), "the socket is removed at the end");
    std::fs::remove_dir_all(corpus.parent().unwrap()).ok();
}

#[test]
fn after_the_summary_the_console_stays_open_until_ctrl_c() {
    let (corpus, runtime) = scratch("after", 3);
    let mut tour = Running::start_with(
        "tour",
        &[corpus.to_str().unwrap(), "--console"],
        &[("XDG_RUNTIME_DIR", runtime.to_str().unwrap())],
    );
    tour.wait_for("the console kept open", |stdout, _| {
        stdout.contains("tour: done; the console stays open until Ctrl-C")
    });
    assert!(tour.stdout.contains("summary ("), "{}", tour.stdout);
    let socket = socket_of(&tour.stdout);
    // Attached after the work: main and the console are all that is left.
    let (mut client, hello) = Client::attach(&socket);
    assert_eq!(hello["type"], "hello", "{hello}");
    let snapshot = client.next();
    assert_eq!(snapshot["type"], "snapshot", "{snapshot}");
    for path in ["main", "main/console"] {
        assert!(thread_at(&snapshot, path).is_some(), "{path}: {snapshot}");
    }
    assert!(
        thread_at(&snapshot, "main/walker").is_none(),
        "the job's threads are joined: {snapshot}"
    );
    kill("INT", tour.id());
    let (status, stdout, stderr) = tour.finish();
    assert!(status.success(), "exit {status:?}\n{stdout}\n{stderr}");
    assert!(
        stderr.contains(&format!("console at {}", socket.display())),
        "the runtime logs the socket too: {stderr}"
    );
    assert!(!socket.exists(), "the socket is removed at the end");
    std::fs::remove_dir_all(corpus.parent().unwrap()).ok();
}

#[test]
fn with_a_limit_the_console_closes_when_it_goes() {
    let (corpus, runtime) = scratch("limit", 3);
    let tour = Running::start_with(
        "tour",
        &[corpus.to_str().unwrap(), "--console", "--limit", "0.5"],
        &[("XDG_RUNTIME_DIR", runtime.to_str().unwrap())],
    );
    let (status, stdout, stderr) = tour.finish();
    assert!(status.success(), "exit {status:?}\n{stdout}\n{stderr}");
    let socket = socket_of(&stdout);
    assert!(!socket.exists(), "the socket is removed at the end");
    std::fs::remove_dir_all(corpus.parent().unwrap()).ok();
}

/// The console's directory must be the user's alone: one open to others
/// is refused, and the tour says so and fails (exit 1) rather than run
/// unobserved when it was asked to be observed.
#[test]
fn a_console_that_cannot_be_served_is_a_failure_that_says_why() {
    use std::os::unix::fs::PermissionsExt;
    let (corpus, runtime) = scratch("refused", 1);
    let directory = runtime.join("more-threads");
    std::fs::create_dir_all(&directory).unwrap();
    std::fs::set_permissions(&directory, std::fs::Permissions::from_mode(0o755)).unwrap();
    let tour = Running::start_with(
        "tour",
        &[corpus.to_str().unwrap(), "--console"],
        &[("XDG_RUNTIME_DIR", runtime.to_str().unwrap())],
    );
    let (status, stdout, stderr) = tour.finish();
    assert_eq!(status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stderr.contains("tour: the console is not served:"),
        "{stderr}"
    );
    assert!(!stdout.contains("summary ("), "nothing counted: {stdout}");
    std::fs::remove_dir_all(corpus.parent().unwrap()).ok();
}
