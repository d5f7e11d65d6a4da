//! What a child process started dies with us, by any death of ours: this
//! binary runs each scenario as a child process of itself
//! (`process_descendants --scenario <name>`). A scenario starts a shell
//! that starts two `sleep`s in its process group, prints what it started,
//! and dies one way; the check then waits until nothing of it is left.
//! No libtest harness: a scenario owns its process, and its death.

mod common;

use common::{Stream, Watched};
use more_threads::{Main, Process, Signal, Thread, Till, process::Output};
use std::io::Write;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().collect();
    match arguments.get(1).map(String::as_str) {
        Some("--scenario") => run_scenario(&arguments[2]),
        // `cargo test` passes libtest flags: ignore them.
        _ => match missing() {
            Some(why) => {
                println!("skipped: {why}");
                ExitCode::SUCCESS
            }
            None => check_every_death(),
        },
    }
}

/// Why these checks cannot run here, if they cannot.
fn missing() -> Option<String> {
    if !std::path::Path::new("/proc/self/stat").exists() {
        return Some("no /proc to find the processes in".into());
    }
    match Command::new("sh").args(["-c", "command -v sleep"]).output() {
        Ok(found) if found.status.success() => None,
        Ok(_) => Some("`sh` finds no `sleep`".into()),
        Err(error) => Some(format!("`sh` cannot be started: {error}")),
    }
}

// ---------------------------------------------------------------- scenarios

/// Every child of ours that runs, by pid.
fn our_children() -> Vec<u32> {
    let me = std::process::id();
    living()
        .into_iter()
        .filter(|process| process.parent == me)
        .map(|process| process.pid)
        .collect()
}

/// Starts `tree`, a shell that starts two sleeps (of `seconds` and one
/// more, so that a person can tell them apart in `ps`) and waits for them,
/// and prints its group, the sleeps' pids, every child of ours (the shell,
/// and whatever else the runtime started) and `ready`.
fn start_tree(seconds: u32) -> Process {
    let mut command = Command::new("sh");
    let script = format!(
        "sleep {seconds} & echo $!; sleep {} & echo $!; wait",
        seconds + 1
    );
    command.args(["-c", &script]);
    let tree = Process::builder("tree", command)
        .stdout(Output::Queue)
        .spawn()
        .expect("the shell starts");
    let lines = tree.stdout().expect("stdout is a queue");
    let patience = Till::seconds(10.0);
    let sleeps: Vec<String> = (0..2)
        .map(|_| {
            lines
                .pop_till(&patience)
                .expect("the shell says its sleeps' pids")
        })
        .collect();
    println!("group {}", tree.pid());
    println!("sleeps {}", sleeps.join(" "));
    tree
}

/// Prints every child of ours (the tree's shell, and whatever else the
/// runtime started), and `ready`.
fn ready() {
    let children: Vec<String> = our_children().iter().map(u32::to_string).collect();
    println!("children {}", children.join(" "));
    println!("ready");
    std::io::stdout().flush().expect("stdout takes the lines");
}

fn run_scenario(name: &str) -> ExitCode {
    match name {
        "exit-in-a-worker" => {
            start_tree(3101).release();
            ready();
            let quitter = Thread::run("quitter", |_please_stop| -> () { std::process::exit(4) });
            let _ = quitter.map(|quitter| quitter.join());
            ExitCode::from(70)
        }
        "abort" => {
            start_tree(3111).release();
            ready();
            std::process::abort()
        }
        "killed" => {
            start_tree(3121).release();
            ready();
            Signal::never().wait();
            ExitCode::from(70)
        }
        "panic-in-main" => {
            start_tree(3131).release();
            ready();
            panic!("the scenario panics in main while its process runs")
        }
        "return-from-main" => {
            start_tree(3141).release();
            ready();
            ExitCode::SUCCESS
        }
        "main-shutdown" => Main::new().run(|_please_stop| {
            start_tree(3151).release();
            ready();
            Ok::<_, more_threads::ThreadError>(())
        }),
        // Someone kills the guardian; the next process started finds it
        // gone, and a new one takes over every group.
        "guardian-killed" => {
            let tree = start_tree(3161);
            let guardians: Vec<u32> = our_children()
                .into_iter()
                .filter(|&pid| pid != tree.pid())
                .collect();
            assert_eq!(guardians.len(), 1, "one guardian: {guardians:?}");
            tree.release();
            let killed = Command::new("kill")
                .args(["-KILL", &guardians[0].to_string()])
                .status()
                .expect("kill runs");
            assert!(killed.success(), "the guardian is killed");
            let deadline = Instant::now() + Duration::from_secs(10);
            while our_children().contains(&guardians[0]) {
                assert!(Instant::now() < deadline, "the guardian did not die");
                std::thread::sleep(Duration::from_millis(5));
            }
            let mut command = Command::new("sleep");
            command.arg("3163");
            Process::run("second", command)
                .expect("sleep starts")
                .release();
            ready();
            Signal::never().wait();
            ExitCode::from(70)
        }
        other => {
            eprintln!("unknown scenario {other:?}");
            ExitCode::from(64)
        }
    }
}

// ------------------------------------------------------------------ checks

/// A process as `/proc/<pid>/stat` shows it.
struct Seen {
    pid: u32,
    parent: u32,
    group: u32,
    command: String,
}

/// Every process that runs (a zombie has ended: it only waits to be reaped).
fn living() -> Vec<Seen> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            let (head, rest) = stat.rsplit_once(')')?;
            let command = head.split_once('(')?.1.to_owned();
            let mut fields = rest.split_whitespace();
            let state = fields.next()?;
            let parent = fields.next()?.parse().ok()?;
            let group = fields.next()?.parse().ok()?;
            (state != "Z" && state != "X").then_some(Seen {
                pid,
                parent,
                group,
                command,
            })
        })
        .collect()
}

/// The numbers on the line of `stdout` that starts with `label`.
fn numbers(stdout: &str, label: &str) -> Vec<u32> {
    stdout
        .lines()
        .find_map(|line| line.strip_prefix(label))
        .map(|rest| {
            rest.split_whitespace()
                .filter_map(|n| n.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

/// How a scenario is to die.
#[derive(Clone, Copy)]
enum Death {
    /// By itself, exiting with this code (`None`: by a signal).
    Itself(Option<i32>),
    /// By SIGKILL from us, once ready.
    Sigkill,
}

/// Runs `scenario` and waits until no process of its tree's group, none of
/// the sleeps and none of the scenario's children is left, at most 20 s
/// from its start. What is left is killed, so a failure leaks nothing.
fn leaves_nothing_behind(scenario: &str, death: Death) -> Result<(), String> {
    let patience = Duration::from_secs(20);
    let deadline = Instant::now() + patience;
    let mut command = Command::new(std::env::current_exe().map_err(|e| e.to_string())?);
    command
        .args(["--scenario", scenario])
        .env_remove("RUST_LOG");
    let watched = Watched::start(&mut command, patience);
    watched.wait_for(Stream::Stdout, "ready\n")?;
    if let Death::Sigkill = death {
        watched.signal("KILL");
    }
    let finished = watched.finish();
    let group = numbers(&finished.stdout, "group ");
    let [group] = group[..] else {
        return Err(format!("no group printed:\n{}", finished.stdout));
    };
    let mut started = numbers(&finished.stdout, "sleeps ");
    started.extend(numbers(&finished.stdout, "children "));
    if let Death::Itself(code) = death {
        if finished.code != code {
            return Err(format!(
                "the scenario exited with {:?}, not {code:?}\n{}",
                finished.code, finished.stderr
            ));
        }
    }
    loop {
        let left: Vec<Seen> = living()
            .into_iter()
            .filter(|process| process.group == group || started.contains(&process.pid))
            .collect();
        if left.is_empty() {
            return Ok(());
        }
        if Instant::now() >= deadline {
            for process in &left {
                let _ = Command::new("kill")
                    .args(["-KILL", &process.pid.to_string()])
                    .status();
            }
            let named: Vec<String> = left
                .iter()
                .map(|p| {
                    format!(
                        "pid {} ({}), parent {}, group {}",
                        p.pid, p.command, p.parent, p.group
                    )
                })
                .collect();
            return Err(format!(
                "{} process(es) of group {group} or started by the scenario outlived it \
                 (killed now):\n  {}\n  scenario stderr:\n{}",
                left.len(),
                named.join("\n  "),
                finished.stderr
            ));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn exit_in_a_worker_leaves_no_process_of_the_tree() -> Result<(), String> {
    leaves_nothing_behind("exit-in-a-worker", Death::Itself(Some(4)))
}

fn abort_leaves_no_process_of_the_tree() -> Result<(), String> {
    leaves_nothing_behind("abort", Death::Itself(None))
}

fn sigkill_to_our_process_leaves_no_process_of_the_tree() -> Result<(), String> {
    leaves_nothing_behind("killed", Death::Sigkill)
}

fn a_panic_in_main_leaves_no_process_of_the_tree() -> Result<(), String> {
    leaves_nothing_behind("panic-in-main", Death::Itself(Some(101)))
}

fn returning_from_main_leaves_no_process_of_the_tree() -> Result<(), String> {
    leaves_nothing_behind("return-from-main", Death::Itself(Some(0)))
}

fn main_s_orderly_shutdown_leaves_no_process_of_the_tree_nor_any_helper() -> Result<(), String> {
    leaves_nothing_behind("main-shutdown", Death::Itself(Some(0)))
}

fn a_killed_guardian_is_replaced_by_one_that_guards_every_group() -> Result<(), String> {
    leaves_nothing_behind("guardian-killed", Death::Sigkill)
}

fn check_every_death() -> ExitCode {
    common::run_checks(&[
        (
            "exit_in_a_worker_leaves_no_process_of_the_tree",
            exit_in_a_worker_leaves_no_process_of_the_tree,
        ),
        (
            "abort_leaves_no_process_of_the_tree",
            abort_leaves_no_process_of_the_tree,
        ),
        (
            "sigkill_to_our_process_leaves_no_process_of_the_tree",
            sigkill_to_our_process_leaves_no_process_of_the_tree,
        ),
        (
            "a_panic_in_main_leaves_no_process_of_the_tree",
            a_panic_in_main_leaves_no_process_of_the_tree,
        ),
        (
            "returning_from_main_leaves_no_process_of_the_tree",
            returning_from_main_leaves_no_process_of_the_tree,
        ),
        (
            "main_s_orderly_shutdown_leaves_no_process_of_the_tree_nor_any_helper",
            main_s_orderly_shutdown_leaves_no_process_of_the_tree_nor_any_helper,
        ),
        (
            "a_killed_guardian_is_replaced_by_one_that_guards_every_group",
            a_killed_guardian_is_replaced_by_one_that_guards_every_group,
        ),
    ])
}
