//! `more-threads-console`: attaches to a program whose
//! [live console](more_threads::console) is on.
//!
//! ```text
//! more-threads-console --list               the consoles this user can attach to
//! more-threads-console --json TARGET        one snapshot, as JSON
//! more-threads-console --stop PATH TARGET   stop the subtree at PATH
//! ```
//!
//! TARGET is a pid or a socket's path. Exit codes: 0 done; 1 the console
//! broke off; 2 bad arguments, an unknown target, or no console there.
//! The live view (a TUI) is to come.

mod attach;

use attach::{Attached, Failure};
use std::process::ExitCode;

const USAGE: &str = "usage:
  more-threads-console --list               the consoles this user can attach to
  more-threads-console --json TARGET        one snapshot of TARGET's thread tree, as JSON
  more-threads-console --stop PATH TARGET   stop the subtree at PATH (e.g. main/jobs)
TARGET is a pid or the path of a console's socket.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let done = match args.as_slice() {
        ["--list"] => list(),
        ["--json", target] => json(target),
        ["--stop", path, target] => stop(path, target),
        ["--help" | "-h"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(Failure::Usage(format!("bad arguments: {args:?}"))),
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("more-threads-console: {failure}");
            if let Failure::Usage(_) = failure {
                eprintln!("{USAGE}");
            }
            ExitCode::from(failure.code())
        }
    }
}

/// One line a console: `pid<TAB>program<TAB>socket`. A socket no process
/// answers on (it died without removing it) is skipped.
fn list() -> Result<(), Failure> {
    let directory = more_threads::console::directory();
    let Ok(entries) = std::fs::read_dir(&directory) else {
        return Ok(());
    };
    let mut sockets: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "sock"))
        .collect();
    sockets.sort();
    for socket in sockets {
        if let Ok(attached) = Attached::to(&socket) {
            println!(
                "{}\t{}\t{}",
                attached.pid,
                attached.program,
                socket.display()
            );
        }
    }
    Ok(())
}

fn json(target: &str) -> Result<(), Failure> {
    let mut attached = Attached::to(&attach::socket_of(target)?)?;
    let snapshot = attached.next_of(&["snapshot"])?;
    println!("{snapshot}");
    Ok(())
}

fn stop(path: &str, target: &str) -> Result<(), Failure> {
    let mut attached = Attached::to(&attach::socket_of(target)?)?;
    attached.send(&serde_json::json!({"command": "stop", "path": path}))?;
    let answer = attached.next_of(&["stopped", "error"])?;
    match answer["type"].as_str() {
        Some("stopped") => {
            println!("asked {path} to stop");
            Ok(())
        }
        _ => Err(Failure::Refused(
            answer["message"].as_str().unwrap_or("refused").to_owned(),
        )),
    }
}
