//! Running the example binaries as real processes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The example binary `cargo test` built beside this test's own binary.
pub fn example(name: &str) -> PathBuf {
    let test_binary = std::env::current_exe().expect("the test knows its own path");
    let profile_dir = test_binary
        .parent()
        .and_then(Path::parent)
        .expect("tests live in <target>/<profile>/deps");
    let path = profile_dir.join("examples").join(name);
    assert!(
        path.exists(),
        "example `{name}` was not built at {}",
        path.display()
    );
    path
}

/// Runs an example to its end: its exit status, stdout and stderr.
pub fn run(name: &str, arguments: &[&str]) -> (Output, String, String) {
    let output = Command::new(example(name))
        .args(arguments)
        .output()
        .expect("the example starts");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output, stdout, stderr)
}

/// Sends `signal` (e.g. `INT`) to a running process.
pub fn kill(signal: &str, pid: u32) {
    let sent = Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success(), "kill -{signal} {pid}");
}
