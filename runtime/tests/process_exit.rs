//! Child processes when our own process ends, checked on real processes:
//! this binary runs each scenario as a child process of itself
//! (`process_exit --scenario <name>`), and checks what became of the
//! grandchild it started. No libtest harness: `Main::run` owns the
//! process's main thread.

mod common;

use common::alive;
use more_threads::{Main, Process, process::Output};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().collect();
    match arguments.get(1).map(String::as_str) {
        Some("--scenario") => run_scenario(&arguments[2]),
        // `cargo test` passes libtest flags: ignore them.
        _ => check_every_scenario(),
    }
}

// ---------------------------------------------------------------- scenarios

fn sh(script: &str) -> Command {
    let mut command = Command::new("sh");
    command.args(["-c", script]);
    command
}

/// Starts the process, prints its pid and `ready`, and waits for main's
/// `please_stop` (SIGINT), or to be killed.
fn start_and_wait(
    main: Main,
    process: impl FnOnce() -> Result<Process, more_threads::process::ProcessError>,
) -> ExitCode {
    main.run(|please_stop| {
        let process = process()?;
        println!("{}", process.pid());
        println!("ready");
        std::io::stdout().flush().unwrap();
        process.release();
        please_stop.wait();
        Ok::<_, more_threads::process::ProcessError>(())
    })
}

fn run_scenario(name: &str) -> ExitCode {
    let main = Main::new().shutdown_deadline(Duration::from_secs(20));
    match name {
        // Killed by SIGKILL while its child sleeps.
        "killed" => start_and_wait(main, || {
            let mut command = Command::new("sleep");
            command.arg("300");
            Process::run("sleeper", command)
        }),
        // Ctrl-C: the shutdown ends the child before main exits.
        "interrupted" => start_and_wait(main, || {
            let mut command = Command::new("sleep");
            command.arg("300");
            Process::run("sleeper", command)
        }),
        // A child that ignores SIGTERM, with a grace period longer than
        // main's shutdown deadline: the shutdown reports it stuck.
        "stuck" => start_and_wait(main.shutdown_deadline(Duration::from_millis(500)), || {
            let process = Process::builder("stubborn", sh("trap '' TERM; echo trapped; sleep 300"))
                .stdout(Output::Queue)
                .grace(Duration::from_secs(3600))
                .spawn()?;
            let never = more_threads::Signal::never();
            let trapped = process.stdout().unwrap().pop_till(&never);
            assert_eq!(trapped.as_deref(), Ok("trapped"));
            Ok(process)
        }),
        other => {
            eprintln!("unknown scenario {other:?}");
            ExitCode::from(64)
        }
    }
}

// ------------------------------------------------------------------ checks

/// Waits until `pid` is gone; says whether it went within 30 s.
fn gone_within_30_s(pid: u32) -> bool {
    let started = Instant::now();
    while alive(pid) {
        if started.elapsed() > Duration::from_secs(30) {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    true
}

struct Started {
    child: std::process::Child,
    grandchild: u32,
}

/// Starts a scenario and reads the pid of the process it started.
fn start(name: &str) -> Started {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--scenario", name])
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut pid = String::new();
    stdout.read_line(&mut pid).unwrap();
    let mut ready = String::new();
    stdout.read_line(&mut ready).unwrap();
    assert_eq!(
        ready.trim(),
        "ready",
        "{name} did not get ready (pid line {pid:?})"
    );
    Started {
        child,
        grandchild: pid.trim().parse().unwrap(),
    }
}

fn send(child: &std::process::Child, signal: &str) {
    let sent = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
}

/// Sends SIGINT; returns how it exited and what it wrote on stderr (read
/// to the end first, so that a full pipe cannot hold it up).
fn interrupt(child: &mut std::process::Child) -> (std::process::ExitStatus, String) {
    send(child, "INT");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (child.wait().unwrap(), stderr)
}

fn our_process_killed_by_sigkill_leaves_no_child_behind() -> Result<(), String> {
    let Started {
        mut child,
        grandchild,
    } = start("killed");
    if !alive(grandchild) {
        return Err("the child process was not running".into());
    }
    send(&child, "KILL");
    child.wait().unwrap();
    if gone_within_30_s(grandchild) {
        Ok(())
    } else {
        Err(format!(
            "process {grandchild} outlived its parent, killed by SIGKILL"
        ))
    }
}

fn ctrl_c_ends_the_child_before_main_exits() -> Result<(), String> {
    let Started {
        mut child,
        grandchild,
    } = start("interrupted");
    let (status, stderr) = interrupt(&mut child);
    if alive(grandchild) {
        return Err(format!(
            "process {grandchild} still runs after main exited\n{stderr}"
        ));
    }
    // One Ctrl-C and a clean shutdown: the body returned Ok, so exit 0.
    match status.code() {
        Some(0) => Ok(()),
        other => Err(format!("exit code {other:?}, not 0\n{stderr}")),
    }
}

fn a_child_that_outlasts_the_shutdown_deadline_is_reported_stuck_and_dies_with_us()
-> Result<(), String> {
    let Started {
        mut child,
        grandchild,
    } = start("stuck");
    let (status, stderr) = interrupt(&mut child);
    let named =
        format!("running process pid {grandchild}: sh -c trap '' TERM; echo trapped; sleep 300");
    if !stderr.contains("main/stubborn") || !stderr.contains(&named) {
        return Err(format!(
            "the stuck report does not name the process ({named:?}):\n{stderr}"
        ));
    }
    if status.code() != Some(i32::from(more_threads::main_thread::EXIT_STUCK)) {
        return Err(format!(
            "exit code {:?}, not EXIT_STUCK\n{stderr}",
            status.code()
        ));
    }
    if gone_within_30_s(grandchild) {
        Ok(())
    } else {
        Err(format!("process {grandchild} outlived main's exit"))
    }
}

fn check_every_scenario() -> ExitCode {
    common::run_checks(&[
        (
            "our_process_killed_by_sigkill_leaves_no_child_behind",
            our_process_killed_by_sigkill_leaves_no_child_behind,
        ),
        (
            "ctrl_c_ends_the_child_before_main_exits",
            ctrl_c_ends_the_child_before_main_exits,
        ),
        (
            "a_child_that_outlasts_the_shutdown_deadline_is_reported_stuck_and_dies_with_us",
            a_child_that_outlasts_the_shutdown_deadline_is_reported_stuck_and_dies_with_us,
        ),
    ])
}
