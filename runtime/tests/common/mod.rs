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
