//! What the test binaries share. Each uses a part of it, so the rest is
//! dead code in that binary.
#![allow(dead_code)]

use std::process::ExitCode;

/// A check of a binary without the libtest harness: `Err` says what failed.
pub type Check = fn() -> Result<(), String>;

/// Runs each check, printing libtest-like lines; fails if any failed.
pub fn run_checks(checks: &[(&str, Check)]) -> ExitCode {
    let (mut passed, mut failed) = (0, 0);
    for (name, check) in checks {
        match check() {
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
    println!("\n{passed} passed, {failed} failed");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Whether process `pid` runs: a zombie is dead, only not yet reaped by
/// its new parent.
pub fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !stat
            .rsplit(')')
            .next()
            .is_some_and(|rest| rest.trim_start().starts_with('Z')),
        Err(_) => false,
    }
}

/// Every record logged in the test binary, as `LEVEL message`.
static LOGGED: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

struct Keep;

impl log::Log for Keep {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        let line = format!("{} {}", record.level(), record.args());
        LOGGED.lock().unwrap().push(line);
    }

    fn flush(&self) {}
}

/// Keeps every record at INFO and above from now on (once per binary).
pub fn capture_log() {
    let _ = log::set_logger(&Keep);
    log::set_max_level(log::LevelFilter::Info);
}

/// The records kept so far that contain `needle`.
pub fn logged_with(needle: &str) -> Vec<String> {
    LOGGED
        .lock()
        .unwrap()
        .iter()
        .filter(|line| line.contains(needle))
        .cloned()
        .collect()
}
