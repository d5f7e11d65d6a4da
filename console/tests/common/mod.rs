//! What the console's test binaries share: the observed program (a small
//! tree with its console on, run as `THIS_TEST --observed MODE`) and the
//! handle on it, whose every wait is for a state, bounded by one deadline
//! from one base Instant.

use more_threads::{BoxError, Lock, Main, Signal, Thread};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Output, Stdio};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

/// Every wait of a scenario ends by this long after the scenario began.
pub const DEADLINE: Duration = Duration::from_secs(60);

/// A small tree: `main/holder` holds Lock "work", `main/waiter` waits for
/// it, `main/group` has a child `main/group/leaf`; each says why it stopped.
pub fn observed(mode: &str) -> ExitCode {
    let main = Main::new().shutdown_deadline(Duration::from_secs(10));
    let main = match mode {
        "builder" => main.console(true),
        _ => main, // "env": MORE_THREADS_CONSOLE decides; "off": it is unset.
    };
    main.run(|please_stop| -> Result<(), BoxError> {
        let work = Arc::new(Lock::named("work", 0_u32));
        let holding = Signal::new();
        let holder = {
            let (work, holding) = (work.clone(), holding.clone());
            Thread::run("holder", move |please_stop| {
                let _guard = work.lock();
                holding.go();
                please_stop.wait();
            })?
        };
        holding.wait();
        let waiter = {
            let work = work.clone();
            Thread::run("waiter", move |_| *work.lock() += 1)?
        };
        let group = Thread::run("group", |please_stop| {
            let leaf = Thread::run("leaf", |please_stop| please_stop.wait())?;
            please_stop.wait();
            let why = please_stop.reason().map(|reason| reason.to_string());
            println!("group stopped because {}", why.unwrap_or_default());
            leaf.join()
        })?;
        println!("ready {}", std::process::id());
        println!(
            "dump {}",
            more_threads::dump().to_string().replace('\n', " | ")
        );
        please_stop.wait();
        group.join()?;
        holder.join()?;
        waiter.join()?;
        Ok(())
    })
}

/// The observed program, running, in a console directory of its own.
pub struct Observed {
    child: Child,
    pub pid: u32,
    pub runtime_dir: PathBuf,
    pub directory: PathBuf,
    lines: mpsc::Receiver<String>,
    /// Taken by `stop`.
    stderr: Option<std::thread::JoinHandle<String>>,
    base: Instant,
}

impl Observed {
    pub fn start(mode: &str, env: &[(&str, &str)], base: Instant) -> Result<Observed, String> {
        let runtime_dir = std::env::temp_dir().join(format!(
            "more-threads-console-test-{}-{mode}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&runtime_dir);
        std::fs::create_dir_all(&runtime_dir).map_err(|e| e.to_string())?;
        let mut command = Command::new(std::env::current_exe().map_err(|e| e.to_string())?);
        command
            .args(["--observed", mode])
            .env("XDG_RUNTIME_DIR", &runtime_dir)
            .env_remove("MORE_THREADS_CONSOLE")
            .env("RUST_LOG", "info")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().map_err(|e| format!("spawning: {e}"))?;
        let (send, lines) = mpsc::channel();
        let out = BufReader::new(child.stdout.take().expect("piped"));
        std::thread::spawn(move || {
            for line in out.lines().map_while(Result::ok) {
                let _ = send.send(line);
            }
        });
        let mut err = child.stderr.take().expect("piped");
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = err.read_to_string(&mut text);
            text
        });
        let mut observed = Observed {
            pid: child.id(),
            child,
            directory: runtime_dir.join("more-threads"),
            runtime_dir,
            lines,
            stderr: Some(stderr),
            base,
        };
        let ready = observed.wait_for_line("ready ")?;
        observed.pid = ready["ready ".len()..]
            .trim()
            .parse()
            .map_err(|_| ready.clone())?;
        Ok(observed)
    }

    pub fn before_the_deadline(&self, what: &str) -> Result<(), String> {
        if self.base.elapsed() > DEADLINE {
            return Err(format!("not within {DEADLINE:?}: {what}"));
        }
        std::thread::yield_now();
        Ok(())
    }

    pub fn wait_for_line(&self, starting: &str) -> Result<String, String> {
        loop {
            let left = DEADLINE.saturating_sub(self.base.elapsed());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.starts_with(starting) => return Ok(line),
                Ok(_) => {}
                Err(_) => return Err(format!("no line `{starting}…` within {DEADLINE:?}")),
            }
        }
    }

    pub fn wait_for_socket(&self, socket: &Path) -> Result<(), String> {
        // The socket is bound before main's body runs, so before `ready`.
        while !socket.exists() {
            self.before_the_deadline(&format!("{} appears", socket.display()))?;
        }
        Ok(())
    }

    /// Runs the client, with this program's console directory.
    pub fn client(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_more-threads-console"))
            .args(args)
            .env("XDG_RUNTIME_DIR", &self.runtime_dir)
            .output()
            .expect("running more-threads-console")
    }

    /// SIGTERM, then its exit code and what it wrote to stderr.
    pub fn stop(mut self) -> Result<(Option<i32>, String), String> {
        let pid = rustix::process::Pid::from_raw(self.pid as i32).ok_or("a pid")?;
        rustix::process::kill_process(pid, rustix::process::Signal::TERM)
            .map_err(|e| format!("SIGTERM: {e}"))?;
        let status = self.child.wait().map_err(|e| e.to_string())?;
        let stderr = self
            .stderr
            .take()
            .and_then(|stderr| stderr.join().ok())
            .unwrap_or_default();
        let _ = std::fs::remove_dir_all(&self.runtime_dir);
        Ok((status.code(), stderr))
    }
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn ensure(holds: bool, what: &str) -> Result<(), String> {
    if holds {
        Ok(())
    } else {
        Err(format!("expected: {what}"))
    }
}

/// A scenario that failed before `stop` leaves no program running.
impl Drop for Observed {
    fn drop(&mut self) {
        if self.stderr.is_some() {
            let _ = self.child.kill();
            let _ = self.child.wait();
            let _ = std::fs::remove_dir_all(&self.runtime_dir);
        }
    }
}
