//! The console against real processes: this binary runs a small program
//! with its console on (`attach --observed MODE`), and checks what the
//! client (`more-threads-console`) sees of it and does to it.
//!
//! No libtest harness (`harness = false`): `Main::run` must own the
//! process's main thread, which libtest keeps for itself. Every wait is for
//! a state (a line the program prints, a socket appearing), bounded by one
//! deadline from one base Instant; nothing sleeps and hopes.

mod common;

use common::{DEADLINE, Observed, ensure, observed, stdout};
use serde_json::Value;
use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::Path;
use std::process::{Command, ExitCode, Output};
use std::time::{Duration, Instant};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--observed") => observed(args.get(1).map_or("", String::as_str)),
        Some("--connect-as-nobody") => connect_as_nobody(Path::new(&args[1])),
        // `cargo test` passes libtest flags (e.g. `--quiet`, a filter): ignored.
        _ => check_every_scenario(),
    }
}

// ---------------------------------------------------------------- the observed program

/// As root, becomes `nobody` and connects: prints `refused` when the
/// console closes without a word, `answered` when it says anything.
fn connect_as_nobody(socket: &Path) -> ExitCode {
    let nobody = rustix::process::Uid::from_raw(65534);
    rustix::thread::set_thread_res_uid(nobody, nobody, nobody).expect("becoming nobody");
    let mut stream = match UnixStream::connect(socket) {
        Ok(stream) => stream,
        Err(error) => {
            println!("could not connect: {error}");
            return ExitCode::FAILURE;
        }
    };
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut said = Vec::new();
    match stream.read_to_end(&mut said) {
        Ok(_) if said.is_empty() => println!("refused"),
        Ok(_) => println!("answered: {}", String::from_utf8_lossy(&said)),
        Err(error) if said.is_empty() && error.kind() == std::io::ErrorKind::ConnectionReset => {
            println!("refused")
        }
        Err(error) => println!("answered, then {error}"),
    }
    ExitCode::SUCCESS
}

// ---------------------------------------------------------------- the checks

/// One check: `Err` says what was expected and what was seen.
type Scenario = fn() -> Result<(), String>;

fn check_every_scenario() -> ExitCode {
    let scenarios: [(&str, Scenario); 3] = [
        (
            "a_console_is_listed_shows_every_thread_and_stops_a_subtree",
            a_console_is_listed_shows_every_thread_and_stops_a_subtree,
        ),
        (
            "the_environment_variable_turns_the_console_on",
            the_environment_variable_turns_the_console_on,
        ),
        (
            "off_there_is_no_socket_and_no_console_thread",
            off_there_is_no_socket_and_no_console_thread,
        ),
    ];
    let mut failed = 0;
    for (name, scenario) in scenarios {
        match scenario() {
            Ok(()) => println!("test {name} ... ok"),
            Err(why) => {
                println!("test {name} ... FAILED\n{why}");
                failed += 1;
            }
        }
    }
    println!(
        "\ntest result: {} passed; {failed} failed",
        scenarios.len() - failed
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn a_console_is_listed_shows_every_thread_and_stops_a_subtree() -> Result<(), String> {
    let base = Instant::now();
    let run = Observed::start("builder", &[], base)?;
    let pid = run.pid;
    let socket = run.directory.join(format!("{pid}.sock"));
    run.wait_for_socket(&socket)?;
    let mode = |path: &Path| std::fs::metadata(path).map(|m| m.permissions().mode() & 0o777);
    ensure(
        mode(&run.directory).ok() == Some(0o700),
        "the directory is 0700",
    )?;
    ensure(mode(&socket).ok() == Some(0o600), "the socket is 0600")?;

    // A socket left by a process gone: listed by no one.
    let stale = run.directory.join("999999.sock");
    drop(UnixListener::bind(&stale).map_err(|e| format!("a stale socket: {e}"))?);

    let list = run.client(&["--list"]);
    let listed = stdout(&list);
    ensure(list.status.success(), &format!("--list exits 0: {list:?}"))?;
    ensure(
        listed.lines().count() == 1
            && listed.starts_with(&format!("{pid}\tattach"))
            && listed.trim_end().ends_with(&socket.display().to_string()),
        &format!("--list prints this console alone, `pid<TAB>program<TAB>socket`: {listed:?}"),
    )?;

    // Every thread, by path and state; the waiter's Lock and its holder.
    let snapshot = loop {
        let json = run.client(&["--json", &pid.to_string()]);
        ensure(json.status.success(), &format!("--json exits 0: {json:?}"))?;
        let snapshot: Value = serde_json::from_str(&stdout(&json))
            .map_err(|e| format!("--json prints JSON: {e}: {json:?}"))?;
        let waiter = thread_at(&snapshot, "main/waiter");
        if waiter.is_some_and(|w| w["holder"] == "main/holder") {
            break snapshot;
        }
        run.before_the_deadline("main/waiter blocked on the Lock held by main/holder")?;
    };
    for path in [
        "main",
        "main/console",
        "main/holder",
        "main/waiter",
        "main/group",
        "main/group/leaf",
    ] {
        let thread = thread_at(&snapshot, path)
            .ok_or_else(|| format!("{path} is in the snapshot: {snapshot}"))?;
        ensure(
            thread["state"].as_str().is_some_and(|s| !s.is_empty()),
            &format!("{path} has a state: {thread}"),
        )?;
    }
    let clients = snapshot["threads"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|t| {
            t["path"]
                .as_str()
                .is_some_and(|p| p.starts_with("main/console/client-"))
        })
        .count();
    ensure(
        clients >= 1,
        &format!("a client thread, this one's: {snapshot}"),
    )?;
    let waiter = thread_at(&snapshot, "main/waiter").unwrap_or_default();
    ensure(
        waiter["state"] == r#"blocked on Lock "work", held by main/holder"#
            && waiter["blocked_on"] == r#"Lock "work""#,
        &format!("main/waiter waits for Lock \"work\": {waiter}"),
    )?;
    ensure(
        snapshot["deadlocks"] == serde_json::json!([]),
        "no deadlock",
    )?;

    // Stop a subtree: the program says why it stopped.
    let stop = run.client(&["--stop", "main/group", &pid.to_string()]);
    ensure(stop.status.success(), &format!("--stop exits 0: {stop:?}"))?;
    let line = run.wait_for_line("group stopped because")?;
    ensure(
        line.contains("console (pid") && line.contains("asked"),
        &format!("the stop reason names the console: {line}"),
    )?;

    // Bad input: a clear error and exit 2.
    let nowhere = run.client(&["--stop", "main/nowhere", &pid.to_string()]);
    expect_2(&nowhere, "no thread at main/nowhere")?;
    expect_2(&run.client(&["--json", "999999"]), "no console at")?;
    expect_2(
        &run.client(&["--json", stale.to_str().unwrap_or("")]),
        "nothing listens there",
    )?;
    expect_2(&run.client(&["--json"]), "bad arguments")?;
    expect_2(&run.client(&["--frobnicate"]), "bad arguments")?;

    a_client_without_newlines_is_let_go(&socket)?;
    another_user_is_refused(&run, &socket)?;

    let (code, stderr) = run.stop()?;
    ensure(
        code == Some(0),
        &format!("the program exits 0: {code:?}\n{stderr}"),
    )?;
    ensure(
        stderr.contains(&format!("console at {}", socket.display())),
        &format!("the socket's path is logged at start: {stderr}"),
    )?;
    ensure(!socket.exists(), "the socket is removed at the end")?;
    if rustix::process::getuid().is_root() {
        ensure(
            stderr.contains("refused a console client of another user (uid 65534"),
            &format!("the refusal is logged, naming the uid: {stderr}"),
        )?;
    }
    Ok(())
}

/// A line past 64 KiB is answered with an error and the connection closed:
/// what a client sends is never kept without bound.
fn a_client_without_newlines_is_let_go(socket: &Path) -> Result<(), String> {
    let mut stream = UnixStream::connect(socket).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(DEADLINE))
        .map_err(|e| e.to_string())?;
    let endless = vec![b'x'; 80 * 1024];
    // The server may close before it has read all of it: that is the point.
    let _ = std::io::Write::write_all(&mut stream, &endless);
    let mut said = String::new();
    let _ = stream.read_to_string(&mut said);
    ensure(
        said.lines()
            .any(|line| line.contains(r#""type":"error""#) && line.contains("64 KiB")),
        &format!("an error about the 64 KiB limit, then the end: {said:?}"),
    )
}

/// A peer of another uid gets nothing. As root: the directory and socket
/// are opened to everyone for this check (so that the credentials are what
/// refuse), and a child that became `nobody` connects.
fn another_user_is_refused(run: &Observed, socket: &Path) -> Result<(), String> {
    if !rustix::process::getuid().is_root() {
        println!("skipped: a peer of another uid (only root can become another user)");
        return Ok(());
    }
    let open =
        |path: &Path, mode| std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode));
    open(&run.directory, 0o755).map_err(|e| e.to_string())?;
    open(socket, 0o777).map_err(|e| e.to_string())?;
    let output = Command::new(std::env::current_exe().map_err(|e| e.to_string())?)
        .args(["--connect-as-nobody", &socket.display().to_string()])
        .output()
        .map_err(|e| e.to_string())?;
    open(&run.directory, 0o700).map_err(|e| e.to_string())?;
    open(socket, 0o600).map_err(|e| e.to_string())?;
    ensure(
        stdout(&output).trim() == "refused",
        &format!("a peer of uid 65534 is refused: {output:?}"),
    )
}

fn the_environment_variable_turns_the_console_on() -> Result<(), String> {
    let base = Instant::now();
    let run = Observed::start("env", &[("MORE_THREADS_CONSOLE", "1")], base)?;
    let socket = run.directory.join(format!("{}.sock", run.pid));
    run.wait_for_socket(&socket)?;
    let (code, _) = run.stop()?;
    ensure(code == Some(0), "the program exits 0")
}

fn off_there_is_no_socket_and_no_console_thread() -> Result<(), String> {
    let base = Instant::now();
    let run = Observed::start("off", &[], base)?;
    let dump = run.wait_for_line("dump ")?;
    ensure(
        !dump.contains("console"),
        &format!("no console thread in the dump: {dump}"),
    )?;
    ensure(
        !run.directory.exists(),
        &format!("no console directory: {}", run.directory.display()),
    )?;
    let (code, _) = run.stop()?;
    ensure(code == Some(0), "the program exits 0")
}

// ---------------------------------------------------------------- helpers

fn thread_at<'a>(snapshot: &'a Value, path: &str) -> Option<&'a Value> {
    snapshot["threads"]
        .as_array()?
        .iter()
        .find(|thread| thread["path"] == path)
}

fn expect_2(output: &Output, says: &str) -> Result<(), String> {
    let stderr = String::from_utf8_lossy(&output.stderr);
    ensure(
        output.status.code() == Some(2) && stderr.contains(says),
        &format!("exit 2 and an error that says `{says}`: {output:?}"),
    )
}
