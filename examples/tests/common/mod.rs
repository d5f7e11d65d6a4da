//! Running the example binaries as real processes, each bounded by a
//! deadline: an example that hangs is killed and the test fails with what
//! it printed, instead of hanging the test run.

// Each test binary uses a part of these helpers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// How long an example may run before a test takes it for a hang: far more
/// than any of them takes on a loaded machine.
pub const HANG: Duration = Duration::from_secs(120);

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

/// Starts an example with no stdin, its stdout and stderr piped.
fn start_example(name: &str, arguments: &[&str]) -> Child {
    start_example_with(name, arguments, &[])
}

/// [`start_example`], with these variables added to its environment.
fn start_example_with(name: &str, arguments: &[&str], env: &[(&str, &str)]) -> Child {
    Command::new(example(name))
        .args(arguments)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the example starts")
}

/// Runs an example to its end: its exit status, stdout and stderr. Fails
/// the test (after killing it) if it is still running after [`HANG`].
pub fn run(name: &str, arguments: &[&str]) -> (Output, String, String) {
    let child = start_example(name, arguments);
    let watchdog = Watchdog::new(child.id(), HANG);
    let output = child.wait_with_output().expect("the example is waited for");
    let killed = watchdog.disarm();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        !killed,
        "`{name} {arguments:?}` still ran after {HANG:?}, and was killed:\n{stdout}\n{stderr}"
    );
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

/// Kills a process with SIGKILL if it is not disarmed within a time limit.
pub struct Watchdog {
    disarm: Option<mpsc::Sender<()>>,
    watcher: Option<JoinHandle<bool>>,
}

impl Watchdog {
    pub fn new(pid: u32, limit: Duration) -> Watchdog {
        let (disarm, disarmed) = mpsc::channel::<()>();
        let watcher = thread::spawn(move || {
            // Nothing is ever sent: dropping the sender disarms.
            let fired = disarmed.recv_timeout(limit) == Err(RecvTimeoutError::Timeout);
            if fired {
                let _ = Command::new("kill")
                    .args(["-KILL", &pid.to_string()])
                    .status();
            }
            fired
        });
        Watchdog {
            disarm: Some(disarm),
            watcher: Some(watcher),
        }
    }

    /// Disarms it; returns whether it had fired (and killed the process).
    pub fn disarm(mut self) -> bool {
        self.stop()
    }

    fn stop(&mut self) -> bool {
        drop(self.disarm.take());
        self.watcher
            .take()
            .is_some_and(|watcher| watcher.join().unwrap_or(true))
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Which stream a line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stream {
    Stdout,
    Stderr,
}

/// An example at work, its stdout and stderr read line by line as they
/// come, so that a test can act at a given moment (send a signal once a
/// line appears) without sleeping and hoping. Killed if it outlives
/// [`HANG`].
pub struct Running {
    child: Child,
    lines: mpsc::Receiver<(Stream, String)>,
    readers: Vec<JoinHandle<()>>,
    watchdog: Watchdog,
    started: Instant,
    /// Everything printed so far.
    pub stdout: String,
    pub stderr: String,
}

impl Running {
    pub fn start(name: &str, arguments: &[&str]) -> Running {
        Running::start_with(name, arguments, &[])
    }

    /// [`start`](Running::start), with these variables added to its
    /// environment.
    pub fn start_with(name: &str, arguments: &[&str], env: &[(&str, &str)]) -> Running {
        let mut child = start_example_with(name, arguments, env);
        let watchdog = Watchdog::new(child.id(), HANG);
        let (send, lines) = mpsc::channel();
        let stdout = child.stdout.take().expect("stdout is piped");
        let stderr = child.stderr.take().expect("stderr is piped");
        let readers = vec![
            read_lines(stdout, Stream::Stdout, send.clone()),
            read_lines(stderr, Stream::Stderr, send),
        ];
        Running {
            child,
            lines,
            readers,
            watchdog,
            started: Instant::now(),
            stdout: String::new(),
            stderr: String::new(),
        }
    }

    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Reads what the example prints until `seen(stdout, stderr)` holds.
    /// Fails the test if the example ends first, or [`HANG`] passes.
    pub fn wait_for(&mut self, what: &str, seen: impl Fn(&str, &str) -> bool) {
        while !seen(&self.stdout, &self.stderr) {
            let left = HANG.saturating_sub(self.started.elapsed());
            match self.lines.recv_timeout(left) {
                Ok(line) => self.take(line),
                Err(RecvTimeoutError::Disconnected) => panic!(
                    "the example ended before {what}:\n{}\n{}",
                    self.stdout, self.stderr
                ),
                Err(RecvTimeoutError::Timeout) => panic!(
                    "no {what} after {HANG:?}:\n{}\n{}",
                    self.stdout, self.stderr
                ),
            }
        }
    }

    /// Reads what is left until the example ends: its exit status, all of
    /// its stdout and stderr. Fails the test if it is still running after
    /// [`HANG`] (counted from its start): it is killed then.
    pub fn finish(mut self) -> (ExitStatus, String, String) {
        // The readers end when the streams close: at the example's end, or
        // when the watchdog kills it.
        while let Ok(line) = self.lines.recv() {
            self.take(line);
        }
        for reader in self.readers.drain(..) {
            reader.join().expect("a reader never panics");
        }
        let status = self.child.wait().expect("the example is waited for");
        let killed = self.watchdog.stop();
        assert!(
            !killed,
            "the example still ran after {HANG:?}, and was killed:\n{}\n{}",
            self.stdout, self.stderr
        );
        (
            status,
            std::mem::take(&mut self.stdout),
            std::mem::take(&mut self.stderr),
        )
    }

    fn take(&mut self, (stream, line): (Stream, String)) {
        match stream {
            Stream::Stdout => self.stdout.push_str(&line),
            Stream::Stderr => self.stderr.push_str(&line),
        }
    }
}

/// A test that failed half-way leaves no example behind.
impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn read_lines(
    stream: impl std::io::Read + Send + 'static,
    which: Stream,
    send: mpsc::Sender<(Stream, String)>,
) -> JoinHandle<()> {
    thread::spawn(move || {
        use std::io::BufRead;
        let mut stream = std::io::BufReader::new(stream);
        loop {
            let mut line = String::new();
            match stream.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {
                    if send.send((which, line)).is_err() {
                        return;
                    }
                }
            }
        }
    })
}
