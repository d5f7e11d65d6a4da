//! The live view of `more-threads-console`, in a real terminal: tmux runs
//! the client against the observed program (this binary, run as
//! `tui --observed builder`, the same program as the attach tests'), keys
//! are sent with `send-keys`, and the screen is read with `capture-pane`.
//!
//! tmux is required: without it these tests fail, saying to install it
//! (`apt-get install tmux`), unless `MORE_THREADS_SKIP_TMUX=1` is set, when
//! the scenarios that need it say they were skipped.
//!
//! No libtest harness (`harness = false`), as in `attach.rs`. Every wait is
//! for a state (a screen that shows something, a line the program prints, a
//! record that has grown), polled until one deadline from one base Instant;
//! nothing sleeps and hopes.

mod common;

use common::{DEADLINE, Observed, ensure, observed, stdout};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Output};
use std::time::{Duration, Instant};

/// The pause between two looks at the screen while waiting for a state.
const POLL: Duration = Duration::from_millis(50);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--observed") => observed(args.get(1).map_or("", String::as_str)),
        // `cargo test` passes libtest flags (e.g. `--quiet`, a filter): ignored.
        _ => check_every_scenario(),
    }
}

/// One check: `Err` says what was expected and what was seen.
type Scenario = fn() -> Result<(), String>;

fn check_every_scenario() -> ExitCode {
    let scenarios: [(&str, Scenario, bool); 3] = [
        (
            "the_live_view_shows_the_tree_folds_and_stops_a_subtree",
            the_live_view_shows_the_tree_folds_and_stops_a_subtree,
            true,
        ),
        (
            "a_record_replays_in_the_view",
            a_record_replays_in_the_view,
            true,
        ),
        (
            "a_bad_record_file_is_refused_naming_its_line",
            a_bad_record_file_is_refused_naming_its_line,
            false,
        ),
    ];
    let tmux = tmux_available();
    let (mut passed, mut failed) = (0, 0);
    for (name, scenario, needs_tmux) in scenarios {
        let outcome = match (&tmux, needs_tmux) {
            (Err(why), true) => Err(why.clone()),
            (Ok(false), true) => {
                println!("test {name} ... skipped (MORE_THREADS_SKIP_TMUX=1 and no tmux)");
                continue;
            }
            _ => scenario(),
        };
        match outcome {
            Ok(()) => {
                println!("test {name} ... ok");
                passed += 1;
            }
            Err(why) => {
                println!("test {name} ... FAILED\n{why}");
                failed += 1;
            }
        }
    }
    println!("\ntest result: {passed} passed; {failed} failed");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// `Ok(true)`: tmux is there. `Ok(false)`: it is not, and the tests that
/// need it are to be skipped. `Err`: it is not, and that is a failure.
fn tmux_available() -> Result<bool, String> {
    if Command::new("tmux").arg("-V").output().is_ok() {
        return Ok(true);
    }
    if std::env::var_os("MORE_THREADS_SKIP_TMUX").is_some_and(|skip| skip == "1") {
        return Ok(false);
    }
    Err(
        "tmux is not on PATH: these tests drive the TUI in it. Install it \
         (`apt-get install tmux`), or set MORE_THREADS_SKIP_TMUX=1 to skip them"
            .to_owned(),
    )
}

// ---------------------------------------------------------------- the scenarios

fn the_live_view_shows_the_tree_folds_and_stops_a_subtree() -> Result<(), String> {
    let base = Instant::now();
    let run = Observed::start("builder", &[], base)?;
    run.wait_for_socket(&run.directory.join(format!("{}.sock", run.pid)))?;
    let tmux = Tmux::start("live", &client_command(&run, &[&run.pid.to_string()]), base)?;

    let screen = tmux.wait_for(
        "the tree, the waiter blocked on the holder's Lock",
        |screen| {
            ["holder", "waiter", "group", "leaf"]
                .iter()
                .all(|name| screen.contains(name))
                && screen.lines().any(|line| {
                    line.contains("waiter") && line.contains(r#"blocked on Lock "work""#)
                })
        },
    )?;
    ensure(
        screen.contains(&format!("(pid {})", run.pid)) && screen.contains("last snapshot"),
        &format!("a header with the pid and the last snapshot's age:\n{screen}"),
    )?;

    tmux.select("main/waiter")?;
    tmux.wait_for("the waiter's holder in the detail pane", |screen| {
        screen.contains("holder: main/holder") && screen.contains("blocked on: Lock \"work\"")
    })?;

    tmux.select("main/group")?;
    tmux.keys(&["Enter"])?;
    tmux.wait_for("group folded, leaf hidden", |screen| {
        screen.contains("▸ group (1 hidden)") && !screen.contains("leaf")
    })?;

    tmux.keys(&["x"])?;
    tmux.wait_for("a confirmation", |screen| {
        screen.contains("stop main/group and its 1 thread? y/n")
    })?;
    tmux.keys(&["y"])?;
    let line = run.wait_for_line("group stopped because")?;
    ensure(
        line.contains("console (pid") && line.contains("asked"),
        &format!("the program says the console asked: {line}"),
    )?;
    tmux.wait_for("the answer in the status line", |screen| {
        screen.contains("stopped main/group")
    })?;

    tmux.keys(&["q"])?;
    let status = tmux.exit_status()?;
    ensure(status == 0, &format!("the client exits 0 on q: {status}"))?;
    let after = tmux.screen()?;
    ensure(
        !after.contains("last snapshot"),
        &format!("the terminal is restored (the view is gone):\n{after}"),
    )?;
    let (code, stderr) = run.stop()?;
    ensure(
        code == Some(0),
        &format!("the program exits 0: {code:?}\n{stderr}"),
    )
}

fn a_record_replays_in_the_view() -> Result<(), String> {
    let base = Instant::now();
    let run = Observed::start("builder", &[], base)?;
    run.wait_for_socket(&run.directory.join(format!("{}.sock", run.pid)))?;
    let record = temporary("record.ndjson");
    let pid = run.pid.to_string();
    let record_arg = record.display().to_string();
    let tmux = Tmux::start(
        "record",
        &client_command(&run, &["--record", &record_arg, &pid]),
        base,
    )?;
    tmux.wait_for("the tree", |screen| screen.contains("waiter"))?;
    // Two seconds recorded: some snapshots, at their times.
    loop {
        let recorded = std::fs::read_to_string(&record).unwrap_or_default();
        let last = recorded.lines().last().and_then(|line| {
            serde_json::from_str::<Value>(line)
                .ok()
                .and_then(|entry| entry["t_ms"].as_u64())
        });
        if last.is_some_and(|t_ms| t_ms >= 2000) {
            break;
        }
        wait_a_little(base, "two seconds recorded")?;
    }
    tmux.keys(&["q"])?;
    ensure(tmux.exit_status()? == 0, "the recording client exits 0")?;
    let recorded = std::fs::read_to_string(&record).map_err(|e| e.to_string())?;
    let entries: Vec<Value> = recorded
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()
        .map_err(|e| format!("each recorded line is JSON: {e}\n{recorded}"))?;
    ensure(
        entries[0]["line"]["type"] == "hello"
            && entries[0]["line"]["pid"] == run.pid
            && entries.iter().all(|entry| entry["t_ms"].is_u64()),
        &format!("the hello first, each line with its t_ms: {recorded}"),
    )?;
    let snapshots = entries
        .iter()
        .filter(|entry| entry["line"]["type"] == "snapshot")
        .count();
    ensure(
        snapshots >= 5,
        &format!("a snapshot every 250 ms: {snapshots}"),
    )?;

    // --json records too; and the live view wants a terminal.
    let json_record = temporary("json.ndjson");
    let json = run.client(&[
        "--json",
        &pid,
        "--record",
        &json_record.display().to_string(),
    ]);
    ensure(json.status.success(), &format!("--json --record: {json:?}"))?;
    let json_recorded = std::fs::read_to_string(&json_record).map_err(|e| e.to_string())?;
    let types: Vec<Value> = json_recorded
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .map(|entry| entry["line"]["type"].clone())
        .collect();
    ensure(
        json_recorded.starts_with(r#"{"t_ms":"#) && types == ["hello", "snapshot"],
        &format!("--json records the hello and the snapshot: {json_recorded}"),
    )?;
    expect_2(&run.client(&[&pid]), "needs a terminal")?;
    // Without a TARGET: the only console listed (then, here, no terminal)…
    expect_2(&run.client(&[]), "needs a terminal")?;
    // …or, with none listed, a complaint naming where it looked.
    let nowhere = temporary("no-consoles");
    let none = Command::new(CLIENT)
        .env("XDG_RUNTIME_DIR", &nowhere)
        .output()
        .map_err(|e| format!("running the client: {e}"))?;
    expect_2(&none, "no console to attach to in")?;
    let (code, _) = run.stop()?;
    ensure(code == Some(0), "the program exits 0")?;

    // The program is gone; its record plays.
    let tmux = Tmux::start(
        "replay",
        &format!("{} --replay {}", quoted(CLIENT), quoted(&record_arg)),
        base,
    )?;
    tmux.wait_for("the recorded tree, in a replay", |screen| {
        screen.contains("replay, ")
            && screen.contains("waiter")
            && screen.contains("holder")
            && screen.contains(&format!("(pid {pid})"))
    })?;
    tmux.keys(&["Space"])?;
    tmux.wait_for("paused", |screen| screen.contains(", paused"))?;
    tmux.keys(&["x"])?;
    tmux.wait_for("nothing to stop", |screen| {
        screen.contains("replay: nothing to stop")
    })?;
    tmux.keys(&["q"])?;
    ensure(tmux.exit_status()? == 0, "the replay exits 0 on q")?;
    let _ = std::fs::remove_file(&record);
    let _ = std::fs::remove_file(&json_record);
    Ok(())
}

fn a_bad_record_file_is_refused_naming_its_line() -> Result<(), String> {
    let bad = temporary("bad.ndjson");
    std::fs::write(
        &bad,
        "{\"t_ms\":0,\"line\":{\"type\":\"hello\"}}\nnot json\n",
    )
    .map_err(|e| e.to_string())?;
    let replay = |file: &Path| {
        Command::new(CLIENT)
            .args(["--replay", &file.display().to_string()])
            .output()
            .map_err(|e| format!("running the client: {e}"))
    };
    expect_2(
        &replay(&bad)?,
        &format!("bad record file {}, line 2", bad.display()),
    )?;
    let _ = std::fs::remove_file(&bad);
    expect_2(
        &replay(Path::new("/nonexistent/record.ndjson"))?,
        "cannot read the record /nonexistent/record.ndjson",
    )
}

// ---------------------------------------------------------------- helpers

const CLIENT: &str = env!("CARGO_BIN_EXE_more-threads-console");

/// The client's command line for tmux, with the program's console directory.
fn client_command(run: &Observed, args: &[&str]) -> String {
    let mut command = format!(
        "env XDG_RUNTIME_DIR={} {}",
        quoted(&run.runtime_dir.display().to_string()),
        quoted(CLIENT)
    );
    for arg in args {
        command.push(' ');
        command.push_str(&quoted(arg));
    }
    command
}

/// `text` in single quotes, for the shell tmux runs the command with.
fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

fn temporary(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!(
        "more-threads-console-tui-{}-{name}",
        std::process::id()
    ))
}

/// Between two looks at a state: fails past the deadline.
fn wait_a_little(base: Instant, what: &str) -> Result<(), String> {
    if base.elapsed() > DEADLINE {
        return Err(format!("not within {DEADLINE:?}: {what}"));
    }
    std::thread::sleep(POLL);
    Ok(())
}

fn expect_2(output: &Output, says: &str) -> Result<(), String> {
    let stderr = String::from_utf8_lossy(&output.stderr);
    ensure(
        output.status.code() == Some(2) && stderr.contains(says),
        &format!(
            "exit 2 and an error that says `{says}`: {:?}, stdout {}, stderr {stderr}",
            output.status,
            stdout(output)
        ),
    )
}

/// A tmux server of our own (`-S`, its socket in the temporary directory), with one session, 160×48, running one
/// command; its pane stays after the command exits, to read what it left.
/// Dropped, the server is killed.
struct Tmux {
    /// The server's socket.
    server: PathBuf,
    /// Where the shell writes the command's exit status.
    status: PathBuf,
    session: String,
    base: Instant,
}

impl Tmux {
    /// Runs `command` (a shell's), then has the shell write its status.
    fn start(name: &str, command: &str, base: Instant) -> Result<Tmux, String> {
        let status = temporary(&format!("{name}.status"));
        let _ = std::fs::remove_file(&status);
        let command = format!(
            "{command}; echo $? > {}",
            quoted(&status.display().to_string())
        );
        let tmux = Tmux {
            status,
            server: temporary(&format!("tmux-{name}")),
            session: name.to_owned(),
            base,
        };
        // One list of commands: the option is set before the session starts.
        tmux.run(&[
            "-f",
            "/dev/null",
            "start-server",
            ";",
            "set-option",
            "-g",
            "remain-on-exit",
            "on",
            ";",
            "new-session",
            "-d",
            "-x",
            "160",
            "-y",
            "48",
            "-s",
            name,
            &command,
        ])?;
        Ok(tmux)
    }

    fn run(&self, args: &[&str]) -> Result<String, String> {
        let output = Command::new("tmux")
            .arg("-S")
            .arg(&self.server)
            .args(args)
            .output()
            .map_err(|e| format!("running tmux {args:?}: {e}"))?;
        if !output.status.success() {
            return Err(format!(
                "tmux {args:?} failed: {}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        Ok(stdout(&output))
    }

    fn screen(&self) -> Result<String, String> {
        self.run(&["capture-pane", "-p", "-t", &self.session])
    }

    fn keys(&self, keys: &[&str]) -> Result<(), String> {
        let mut args = vec!["send-keys", "-t", &self.session];
        args.extend_from_slice(keys);
        self.run(&args).map(drop)
    }

    /// The screen once `holds`, or the last screen seen in the error.
    fn wait_for(&self, what: &str, holds: impl Fn(&str) -> bool) -> Result<String, String> {
        loop {
            let screen = self.screen()?;
            if holds(&screen) {
                return Ok(screen);
            }
            wait_a_little(self.base, what)
                .map_err(|why| format!("{why}; the screen:\n{screen}"))?;
        }
    }

    /// The path in the detail pane's title: the selected thread's.
    fn selected(screen: &str) -> Option<String> {
        let (_, after) = screen.split_once("┌ thread ")?;
        Some(after.split_once(' ')?.0.to_owned())
    }

    /// Moves the selection down (`j`) until `path` is selected, each key
    /// seen to take effect before the next.
    fn select(&self, path: &str) -> Result<(), String> {
        for _ in 0..32 {
            let screen = self.screen()?;
            let before = Tmux::selected(&screen);
            if before.as_deref() == Some(path) {
                return Ok(());
            }
            self.keys(&["j"])?;
            self.wait_for(
                &format!("the selection to move on from {before:?}"),
                |screen| Tmux::selected(screen) != before,
            )?;
        }
        Err(format!("{path} never selected:\n{}", self.screen()?))
    }

    /// The command's exit status, once it has exited: the shell writes it
    /// to a file after the command (see [`Tmux::start`]). (tmux's own
    /// `pane_dead_status`, and what the shell would print on the pane, may
    /// be lost when the pane's terminal closes before tmux reads them.)
    fn exit_status(&self) -> Result<i32, String> {
        loop {
            let said = std::fs::read_to_string(&self.status).unwrap_or_default();
            if said.ends_with('\n') {
                return said
                    .trim()
                    .parse()
                    .map_err(|_| format!("an exit status in {}: {said}", self.status.display()));
            }
            wait_a_little(self.base, "the client to exit").map_err(|why| {
                format!("{why}; the screen:\n{}", self.screen().unwrap_or_default())
            })?;
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
        let _ = std::fs::remove_file(&self.server);
        let _ = std::fs::remove_file(&self.status);
    }
}
