//! A supervisor of real commands: child processes as nodes of the tree.
//!
//! ```text
//! cargo run --example supervise
//! ```
//!
//! * `flaky` fails twice (exit 1, a line on stderr) and is restarted by its
//!   policy, with a growing backoff; the third run succeeds.
//! * `mute` says one line and then nothing: its silence timeout ends it,
//!   and its failure says so.
//! * `server` runs until Ctrl-C (or SIGTERM): then SIGTERM goes to its
//!   process group, and the supervisor exits 0 once it has ended.
//!
//! Each restart and each line the commands write on stderr go to the log;
//! the supervisor prints what it sees on stdout.

use more_threads::prelude::*;
use more_threads::{
    Process, dump, main_thread::ShutdownSignals, process::Output, process::ProcessError,
    thread::Restart, wait_for_shutdown_signal,
};
use std::process::Command;
use std::time::Duration;

fn sh(script: &str) -> Command {
    let mut command = Command::new("sh");
    command.args(["-c", script]);
    command
}

#[more_threads::main(shutdown_deadline = 10)]
fn main() -> Result<(), ProcessError> {
    let runs = std::env::temp_dir().join(format!("supervise-flaky-{}", std::process::id()));
    // Fails on its first two runs, succeeds on the third.
    let flaky_script = format!(
        "n=$(cat {runs} 2>/dev/null || echo 0); n=$((n+1)); echo $n > {runs}; \
         if [ $n -lt 3 ]; then echo \"flaky: not ready yet (run $n)\" >&2; exit 1; fi; \
         echo \"flaky: up on run $n\"",
        runs = runs.display()
    );
    let flaky = Process::builder("flaky", sh(&flaky_script))
        .stdout(Output::Inherit)
        .restart(
            Restart::on_failure()
                .backoff(Duration::from_millis(100), Duration::from_secs(2))
                .at_most(5, Duration::from_secs(60)),
        )
        .spawn()?;
    let mute = Process::builder("mute", sh("echo 'mute: started'; sleep 3600"))
        .stdout(Output::Inherit)
        .silence(Duration::from_millis(500))
        .spawn()?;
    let server = Process::builder("server", sh("echo listening; exec sleep 3600"))
        .stdout(Output::Queue)
        .spawn()?;
    let never = Signal::never();
    if let Ok(line) = server.stdout().unwrap().pop_till(&never) {
        println!("supervise: server says {line:?}");
    }

    let status = flaky.join()?;
    let _ = std::fs::remove_file(&runs);
    println!("supervise: flaky ended with {status} after its restarts");
    match mute.join() {
        Ok(status) => println!("supervise: mute ended with {status}"),
        Err(error) => println!("supervise: mute failed: {error}"),
    }

    println!("supervise: the tree now:\n{}", dump());
    println!("supervise: server runs until Ctrl-C");
    let cause = wait_for_shutdown_signal(ShutdownSignals::new());
    println!("supervise: woken by {cause:?}");
    let status = server.join()?;
    println!("supervise: server ended with {status}");
    Ok(())
}
