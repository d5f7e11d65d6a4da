//! `more-threads-console`: attaches to a program whose
//! [live console](more_threads::console) is on.
//!
//! ```text
//! more-threads-console [--record FILE] [TARGET]        the live view (a TUI)
//! more-threads-console --replay FILE                   a record, played back in the view
//! more-threads-console --list                          the consoles this user can attach to
//! more-threads-console --json TARGET [--record FILE]   one snapshot, as JSON
//! more-threads-console --stop PATH TARGET              stop the subtree at PATH
//! ```
//!
//! TARGET is a pid or a socket's path. Without one, the live view attaches
//! to the only console listed; if there are none or several, it prints the
//! list and exits 2. Exit codes: 0 done; 1 the console broke off (or the
//! terminal failed); 2 bad arguments, an unknown target, no console there,
//! or a bad record file.
//!
//! # The live view
//!
//! A header (program, pid, threads, deadlocks, health, and how long ago the
//! last snapshot came, or `replay, 12.3 s of 60.0 s`, or `disconnected:
//! why`), tabs (Threads, Queues, Processes), the thread tree with a detail
//! pane for the selected thread, and a status line. Each row is a thread,
//! indented under its parent (its path less the last `/segment`), with its
//! state, CPU % (when the program is profiled), how long it has been
//! blocked (when the runtime says), its age and restarts. Red and bold: in
//! a deadlock; yellow: stuck (a health reason names it, or blocked for more
//! than 10 s). Fields a snapshot does not carry (`queues`, `processes`,
//! `health`, a thread's `blocked_ms` or `logs`) are shown as not reported,
//! never made up. When the program goes away the last view stays, marked
//! disconnected, until `q`.
//!
//! | key | does |
//! |---|---|
//! | `↑` `↓` / `k` `j`, `PgUp` `PgDn`, `Home` `End` / `g` `G` | move the selection (it stays on its thread across snapshots) |
//! | `Enter`, `Space` (live) | fold or unfold the selected subtree (a folded row shows `▸` and how many threads it hides) |
//! | `←` / `h`, `→` / `l` | fold, unfold |
//! | `s` | sort siblings: tree order, CPU (most first), time blocked (longest first) |
//! | `Tab`, `Shift-Tab` | the Threads, Queues and Processes panes |
//! | `x` | stop the selected subtree, after a `y`/`n` confirmation; the answer shows in the status line |
//! | `d` | the program's dump, in a popup (`j`/`k`, `PgUp`/`PgDn` scroll, `q` or `Esc` closes) |
//! | `Space` or `p` (replay) | pause, go on |
//! | `+`, `-` (replay) | faster, slower (¼× to 32×) |
//! | `q`, `Ctrl-C` | quit (the terminal is restored, also on a panic) |
//!
//! # Records
//!
//! `--record FILE` (with the live view or `--json`) creates FILE (or
//! truncates it) and writes every line received from the console, the
//! `hello` first, as it comes, one JSON object a line:
//!
//! ```text
//! {"t_ms":0,"line":{"type":"hello","protocol":1,"pid":4242,"program":"tour","interval_ms":250}}
//! {"t_ms":3,"line":{"type":"snapshot","threads":[…],"deadlocks":[]}}
//! {"t_ms":254,"line":{"type":"snapshot",…}}
//! ```
//!
//! `t_ms` counts milliseconds since the client attached; `line` is the line
//! received, as a JSON object. `--replay FILE` shows it in the same view at
//! the recorded pace; a command that would go to the program (`x`, `d`)
//! says there is nothing to send it to. A file that is not of this shape is
//! refused, naming its line.

mod attach;
mod record;
mod tui;

use attach::{Attached, Failure};
use record::Recorder;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage:
  more-threads-console [--record FILE] [TARGET]        the live view of TARGET (a TUI)
  more-threads-console --replay FILE                   play a record back in the view
  more-threads-console --list                          the consoles this user can attach to
  more-threads-console --json TARGET [--record FILE]   one snapshot of TARGET's thread tree, as JSON
  more-threads-console --stop PATH TARGET              stop the subtree at PATH (e.g. main/jobs)
TARGET is a pid or the path of a console's socket; without one, the only console listed.
--record FILE writes each line received as {\"t_ms\":N,\"line\":{...}} (NDJSON).
Keys: q quit, arrows/j/k move, Enter/Space/left/right fold, s sort, Tab panes,
x stop the selected subtree, d dump; in a replay Space pauses and +/- change the speed.";

/// What the command line asks for.
#[derive(Debug, PartialEq)]
enum Mode {
    Help,
    List,
    Json(String),
    Stop { path: String, target: String },
    Live(Option<String>),
    Replay(PathBuf),
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let done = parse(&args).and_then(|(mode, record)| run(mode, record.as_deref()));
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

/// The mode, and the file to record to.
fn parse(args: &[String]) -> Result<(Mode, Option<PathBuf>), Failure> {
    let bad = || Failure::Usage(format!("bad arguments: {args:?}"));
    let mut flag: Option<(&str, Option<&str>)> = None;
    let mut record = None;
    let mut targets = Vec::new();
    let mut rest = args.iter().map(String::as_str);
    while let Some(arg) = rest.next() {
        match arg {
            "--record" if record.is_none() => record = Some(rest.next().ok_or_else(bad)?),
            "--stop" | "--replay" if flag.is_none() => {
                flag = Some((arg, Some(rest.next().ok_or_else(bad)?)));
            }
            "--list" | "--json" | "--help" | "-h" if flag.is_none() => flag = Some((arg, None)),
            _ if arg.starts_with('-') && arg != "-" => return Err(bad()),
            target => targets.push(target.to_owned()),
        }
    }
    let target = match targets.len() {
        0 => None,
        1 => targets.pop(),
        _ => return Err(bad()),
    };
    let mode = match (flag, target) {
        (Some(("--help" | "-h", _)), None) => Mode::Help,
        (Some(("--list", _)), None) => Mode::List,
        (Some(("--json", _)), Some(target)) => Mode::Json(target),
        (Some(("--stop", Some(path))), Some(target)) => Mode::Stop {
            path: path.to_owned(),
            target,
        },
        (Some(("--replay", Some(file))), None) => Mode::Replay(PathBuf::from(file)),
        (None, target) => Mode::Live(target),
        _ => return Err(bad()),
    };
    let records = matches!(mode, Mode::Json(_) | Mode::Live(_));
    if record.is_some() && !records {
        return Err(Failure::Usage(
            "bad arguments: --record goes with the live view or --json".to_owned(),
        ));
    }
    Ok((mode, record.map(PathBuf::from)))
}

fn run(mode: Mode, record: Option<&Path>) -> Result<(), Failure> {
    match mode {
        Mode::Help => {
            println!("{USAGE}");
            Ok(())
        }
        Mode::List => {
            for (pid, program, socket) in consoles() {
                println!("{pid}\t{program}\t{}", socket.display());
            }
            Ok(())
        }
        Mode::Json(target) => json(&target, record),
        Mode::Stop { path, target } => stop(&path, &target),
        Mode::Live(target) => {
            let socket = match target {
                Some(target) => attach::socket_of(&target)?,
                None => the_only_console()?,
            };
            tui::live(Attached::recording(&socket, recorder(record)?)?)
        }
        Mode::Replay(file) => tui::replay(record::read(&file).map_err(Failure::Record)?),
    }
}

fn recorder(record: Option<&Path>) -> Result<Option<Recorder>, Failure> {
    record
        .map(Recorder::create)
        .transpose()
        .map_err(Failure::Record)
}

/// The consoles this user can attach to: pid, program, socket. A socket no
/// process answers on (it died without removing it) is skipped.
fn consoles() -> Vec<(u64, String, PathBuf)> {
    let directory = more_threads::console::directory();
    let Ok(entries) = std::fs::read_dir(&directory) else {
        return Vec::new();
    };
    let mut sockets: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "sock"))
        .collect();
    sockets.sort();
    sockets
        .into_iter()
        .filter_map(|socket| {
            let attached = Attached::to(&socket).ok()?;
            Some((attached.pid, attached.program, socket))
        })
        .collect()
}

/// With no TARGET: the one console listed, or the list and a complaint.
fn the_only_console() -> Result<PathBuf, Failure> {
    let mut consoles = consoles();
    if consoles.len() == 1 {
        if let Some((_, _, socket)) = consoles.pop() {
            return Ok(socket);
        }
    }
    for (pid, program, socket) in &consoles {
        println!("{pid}\t{program}\t{}", socket.display());
    }
    Err(Failure::NoConsole(if consoles.is_empty() {
        format!(
            "no console to attach to in {} (is the program running, with its console on?)",
            more_threads::console::directory().display()
        )
    } else {
        format!("{} consoles: give one's pid as TARGET", consoles.len())
    }))
}

fn json(target: &str, record: Option<&Path>) -> Result<(), Failure> {
    let socket = attach::socket_of(target)?;
    let mut attached = Attached::recording(&socket, recorder(record)?)?;
    let snapshot = attached.next_of(&["snapshot"])?;
    if let Some(why) = attached.record_failure() {
        return Err(Failure::Record(why));
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(args: &[&str]) -> Result<(Mode, Option<PathBuf>), String> {
        let args: Vec<String> = args.iter().map(|arg| (*arg).to_owned()).collect();
        parse(&args).map_err(|failure| failure.to_string())
    }

    #[test]
    fn the_modes_of_the_command_line() {
        let some = |path: &str| Some(PathBuf::from(path));
        assert_eq!(parsed(&[]), Ok((Mode::Live(None), None)));
        assert_eq!(parsed(&["42"]), Ok((Mode::Live(Some("42".into())), None)));
        assert_eq!(
            parsed(&["--record", "r", "42"]),
            Ok((Mode::Live(Some("42".into())), some("r")))
        );
        assert_eq!(
            parsed(&["--json", "42", "--record", "r"]),
            Ok((Mode::Json("42".into()), some("r")))
        );
        assert_eq!(
            parsed(&["--stop", "main/x", "42"]),
            Ok((
                Mode::Stop {
                    path: "main/x".into(),
                    target: "42".into()
                },
                None
            ))
        );
        assert_eq!(
            parsed(&["--replay", "r"]),
            Ok((Mode::Replay("r".into()), None))
        );
        assert_eq!(parsed(&["--list"]), Ok((Mode::List, None)));
    }

    #[test]
    fn bad_command_lines_are_refused() {
        for args in [
            &["--json"][..],
            &["--frobnicate"],
            &["1", "2"],
            &["--list", "1"],
            &["--replay"],
            &["--replay", "r", "42"],
            &["--record"],
            &["--record", "r", "--stop", "main", "1"],
            &["--json", "--list", "1"],
        ] {
            let said = parsed(args).expect_err(&format!("{args:?}"));
            assert!(said.contains("bad arguments"), "{args:?}: {said}");
        }
    }
}
