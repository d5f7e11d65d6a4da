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

/// How long after a SIGINT another is someone asking again (a second
/// Ctrl-C): well past the 100 ms inside which deliveries are one request,
/// so that a loaded machine that reads the first one late still tells them
/// apart.
pub const SECOND_REQUEST: std::time::Duration = std::time::Duration::from_secs(1);

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

/// A child process whose stdout and stderr are read as they come, so that a
/// test can wait for the state it needs ("the dump is drawn", "the first
/// SIGINT was taken") before its next step, instead of sleeping and hoping.
/// Every wait counts from one deadline, set when the child started.
pub struct Watched {
    child: std::process::Child,
    seen: std::sync::Arc<(std::sync::Mutex<Seen>, std::sync::Condvar)>,
    readers: Vec<std::thread::JoinHandle<()>>,
    deadline: std::time::Instant,
}

/// Which of a child's outputs to wait on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

#[derive(Default)]
struct Seen {
    stdout: String,
    stderr: String,
    closed: usize,
}

impl Seen {
    fn text(&self, stream: Stream) -> &str {
        match stream {
            Stream::Stdout => &self.stdout,
            Stream::Stderr => &self.stderr,
        }
    }
}

/// What a watched child printed, and how it ended.
pub struct Finished {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Watched {
    /// Starts `command` with its stdout and stderr piped; waits for any
    /// state at most `patience` from now, all waits together.
    pub fn start(command: &mut std::process::Command, patience: std::time::Duration) -> Watched {
        use std::io::Read;
        use std::process::Stdio;
        let deadline = std::time::Instant::now() + patience;
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the child process starts");
        let seen = std::sync::Arc::new((
            std::sync::Mutex::new(Seen::default()),
            std::sync::Condvar::new(),
        ));
        let pipes: [(Stream, Box<dyn Read + Send>); 2] = [
            (Stream::Stdout, Box::new(child.stdout.take().unwrap())),
            (Stream::Stderr, Box::new(child.stderr.take().unwrap())),
        ];
        let readers = pipes
            .into_iter()
            .map(|(stream, mut pipe)| {
                let seen = seen.clone();
                std::thread::spawn(move || {
                    let mut buffer = [0_u8; 4096];
                    loop {
                        let read = pipe.read(&mut buffer).unwrap_or(0);
                        let (lock, changed) = &*seen;
                        let mut seen = lock.lock().unwrap();
                        if read == 0 {
                            seen.closed += 1;
                            changed.notify_all();
                            return;
                        }
                        let text = String::from_utf8_lossy(&buffer[..read]);
                        match stream {
                            Stream::Stdout => seen.stdout.push_str(&text),
                            Stream::Stderr => seen.stderr.push_str(&text),
                        }
                        changed.notify_all();
                    }
                })
            })
            .collect();
        Watched {
            child,
            seen,
            readers,
            deadline,
        }
    }

    /// Waits until `stream` has shown `text`. `Err` says what was shown
    /// instead, when the child closed its outputs or the deadline passed.
    pub fn wait_for(&self, stream: Stream, text: &str) -> Result<(), String> {
        let (lock, changed) = &*self.seen;
        let mut seen = lock.lock().unwrap();
        loop {
            if seen.text(stream).contains(text) {
                return Ok(());
            }
            let now = std::time::Instant::now();
            if seen.closed == 2 || now >= self.deadline {
                return Err(format!(
                    "waited for {text:?} on {stream:?}, which {}\n  stdout:\n{}\n  stderr:\n{}",
                    if seen.closed == 2 {
                        "closed first"
                    } else {
                        "did not show it in time"
                    },
                    seen.stdout,
                    seen.stderr
                ));
            }
            seen = changed.wait_timeout(seen, self.deadline - now).unwrap().0;
        }
    }

    /// Sends `signal` (a name `kill` knows: `INT`, `QUIT`, ...).
    pub fn signal(&self, signal: &str) {
        let sent = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success(), "kill -{signal} {}", self.child.id());
    }

    /// The child's pid.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the child to close its outputs and exit, and returns what
    /// it printed. Past the deadline it is killed, so that a hang fails the
    /// test instead of holding it.
    pub fn finish(mut self) -> Finished {
        {
            let (lock, changed) = &*self.seen;
            let mut seen = lock.lock().unwrap();
            while seen.closed < 2 {
                let left = self
                    .deadline
                    .saturating_duration_since(std::time::Instant::now());
                if left.is_zero() {
                    let _ = self.child.kill();
                    break;
                }
                seen = changed.wait_timeout(seen, left).unwrap().0;
            }
        }
        let status = self.child.wait().unwrap();
        for reader in self.readers.drain(..) {
            reader.join().unwrap();
        }
        let (lock, _) = &*self.seen;
        let seen = std::mem::take(&mut *lock.lock().unwrap());
        Finished {
            code: status.code(),
            stdout: seen.stdout,
            stderr: seen.stderr,
        }
    }
}
