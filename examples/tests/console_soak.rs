//! The live console's memory stays flat: a real process with the console
//! on and a small busy tree (threads starting and ending, a Queue moving, a
//! Lock contended, log lines) is watched by one client at the fastest
//! interval (10 ms) for `MORE_THREADS_SOAK_SECS` seconds (default 45), and
//! its resident memory (`VmRSS` in `/proc/PID/status`) after a warm-up is
//! compared with its memory at the end.
//!
//! ```text
//! MORE_THREADS_SOAK_SECS=3600 cargo test --release -p more-threads-examples --test console_soak
//! ```
//!
//! The bound, [`GROWTH_BOUND`], is chosen from measurement (see the
//! benches README, "Live console: memory over an hour"): the growth seen
//! is a page or two, far below it; a leak of about 500 bytes a snapshot or
//! 250 bytes a thread started (some 4,000 and 9,000 in 45 s) passes it,
//! and the longer the run, the smaller the leak it catches (25 bytes a
//! snapshot in 15 minutes).
//!
//! No libtest harness (`harness = false`): the observed process is this
//! binary run again with `--observed`, and `Main::run` must own its main
//! thread. Every wait is for a state (the socket, a line, the process's
//! end), bounded by one deadline from one base Instant.

#[cfg(not(target_os = "linux"))]
fn main() {
    println!("console_soak: skipped: it reads /proc/PID/status, which only Linux has");
}

#[cfg(target_os = "linux")]
fn main() -> std::process::ExitCode {
    linux::main()
}

#[cfg(target_os = "linux")]
mod linux {
    use more_threads::{BoxError, Lock, Main, Queue, Thread, Till};
    use serde_json::Value;
    use std::io::{BufRead, BufReader, Write};
    use std::os::unix::net::UnixStream;
    use std::path::{Path, PathBuf};
    use std::process::{Child, Command, ExitCode, Stdio};
    use std::time::{Duration, Instant};

    /// How much the resident memory may grow from the end of the warm-up
    /// to the end of the run: 2 MiB. Measured growth is one or two pages
    /// (+4 KiB in 15 minutes, +8 KiB in 20 s), while a leak of about 500
    /// bytes a snapshot passes it in 45 s (some 4,000 snapshots), and of
    /// 25 bytes a snapshot in 15 minutes. Kept well above what was seen:
    /// the allocator's arenas may settle differently on another machine.
    const GROWTH_BOUND: u64 = 2 * 1024 * 1024;

    /// The first tenth of the run is warm-up: the allocator's arenas, the
    /// logger's buffers and the sampler's state reach their size then.
    const WARM_UP_SHARE: f64 = 0.1;

    /// Beyond the soak itself, the time every other wait may take.
    const SLACK: Duration = Duration::from_secs(60);

    pub fn main() -> ExitCode {
        let args: Vec<String> = std::env::args().skip(1).collect();
        match args.first().map(String::as_str) {
            Some("--observed") => observed(),
            // `cargo test` passes libtest flags (e.g. `--quiet`): ignored.
            _ => match soak() {
                Ok(()) => {
                    println!("test console_soak ... ok");
                    ExitCode::SUCCESS
                }
                Err(why) => {
                    println!("test console_soak ... FAILED\n{why}");
                    ExitCode::FAILURE
                }
            },
        }
    }

    // ------------------------------------------------------------ the observed program

    /// The busy tree, always the same threads, until SIGTERM:
    /// `main/churn` starts and joins a short-lived `main/churn/short` every
    /// 5 ms; `main/producer` adds to Queue "jobs" (bounded 64) and
    /// `main/consumer` takes from it; `main/contender-0` and `-1` take
    /// turns on Lock "shared"; `main/logger` logs a line every 50 ms.
    fn observed() -> ExitCode {
        Main::new()
            .console(true)
            .shutdown_deadline(Duration::from_secs(10))
            .run(|please_stop| -> Result<(), BoxError> {
                let jobs = std::sync::Arc::new(Queue::bounded("jobs", 64));
                let shared = std::sync::Arc::new(Lock::named("shared", 0_u64));
                let mut threads = Vec::new();
                threads.push(Thread::run("churn", |please_stop| {
                    let mut started = 0_u64;
                    while !please_stop.is_go() {
                        let short = Thread::run("short", |_| {
                            std::hint::black_box((0..1_000_u64).sum::<u64>())
                        });
                        if let Ok(short) = short {
                            let _ = short.join();
                            started += 1;
                        }
                        Till::after(Duration::from_millis(5)).wait_till(please_stop);
                    }
                    started
                })?);
                {
                    let jobs = jobs.clone();
                    threads.push(Thread::run("producer", move |please_stop| {
                        let mut added = 0_u64;
                        while jobs.add_till(added, please_stop).is_ok() {
                            added += 1;
                            Till::after(Duration::from_millis(1)).wait_till(please_stop);
                        }
                        added
                    })?);
                }
                {
                    let jobs = jobs.clone();
                    threads.push(Thread::run("consumer", move |please_stop| {
                        let mut taken = 0_u64;
                        while jobs.pop_till(please_stop).is_ok() {
                            taken += 1;
                        }
                        taken
                    })?);
                }
                for index in 0..2 {
                    let shared = shared.clone();
                    threads.push(Thread::run(
                        format!("contender-{index}"),
                        move |please_stop| {
                            let mut turns = 0_u64;
                            while !please_stop.is_go() {
                                {
                                    let mut count = shared.lock();
                                    *count += 1;
                                    // Held a while, so that the other waits
                                    // on it and the snapshot shows a holder.
                                    std::thread::sleep(Duration::from_millis(1));
                                }
                                turns += 1;
                                Till::after(Duration::from_millis(1)).wait_till(please_stop);
                            }
                            turns
                        },
                    )?);
                }
                threads.push(Thread::run("logger", |please_stop| {
                    let mut lines = 0_u64;
                    while !please_stop.is_go() {
                        log::info!("soak: log line {lines}");
                        lines += 1;
                        Till::after(Duration::from_millis(50)).wait_till(please_stop);
                    }
                    lines
                })?);
                println!("ready {}", std::process::id());
                please_stop.wait();
                for thread in threads {
                    thread.join()?;
                }
                Ok(())
            })
    }

    // ------------------------------------------------------------ the check

    fn soak() -> Result<(), String> {
        let seconds: u64 = match std::env::var("MORE_THREADS_SOAK_SECS") {
            Ok(text) => text
                .parse()
                .map_err(|_| format!("MORE_THREADS_SOAK_SECS={text}: a whole number"))?,
            Err(_) => 45,
        };
        let soak = Duration::from_secs(seconds);
        let warm_up = soak.mul_f64(WARM_UP_SHARE);
        let base = Instant::now();
        let deadline = soak + SLACK;
        let observed = Observed::start(base, deadline)?;
        let socket = observed.directory.join(format!("{}.sock", observed.pid));
        while !socket.exists() {
            observed.before(deadline, "the console's socket appears")?;
        }
        let stream = UnixStream::connect(&socket).map_err(|e| format!("connecting: {e}"))?;
        // A read blocks at most this long: a console that stops sending
        // fails the test instead of hanging it.
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .map_err(|e| e.to_string())?;
        let mut writer = stream.try_clone().map_err(|e| e.to_string())?;
        let mut lines = BufReader::new(stream);
        let hello = read_line(&mut lines)?;
        if hello["type"] != "hello" || hello["protocol"] != 1 {
            return Err(format!("a hello of protocol 1 first: {hello}"));
        }
        writer
            .write_all(b"{\"command\":\"interval\",\"ms\":10}\n")
            .map_err(|e| format!("sending the interval: {e}"))?;
        loop {
            let line = read_line(&mut lines)?;
            match line["type"].as_str() {
                Some("snapshot") => {}
                Some("interval") if line["ms"] == 10 => break,
                _ => return Err(format!("the interval is taken: {line}")),
            }
            observed.before(deadline, "the interval's answer")?;
        }

        let started = Instant::now();
        let mut snapshots = 0_u64;
        let mut warm: Option<Figures> = None;
        let mut end = Figures::default();
        let mut next_rss = started;
        let mut trajectory = Vec::new();
        while started.elapsed() < soak {
            let line = read_raw_line(&mut lines)?;
            let snapshot: Value =
                serde_json::from_str(&line).map_err(|e| format!("{e}: {line}"))?;
            if snapshot["type"] != "snapshot" {
                return Err(format!("only snapshots once the interval is set: {line}"));
            }
            snapshots += 1;
            let threads = snapshot["threads"].as_array().map_or(0, Vec::len);
            end.max_threads = end.max_threads.max(threads);
            end.max_line = end.max_line.max(line.len());
            if Instant::now() >= next_rss {
                let rss = rss_of(observed.pid)?;
                trajectory.push((started.elapsed().as_secs(), rss));
                end.rss = rss;
                next_rss += soak / 20;
            }
            if warm.is_none() && started.elapsed() >= warm_up {
                let figures = Figures {
                    rss: rss_of(observed.pid)?,
                    ..end
                };
                println!(
                    "console_soak: warm after {:.1?} and {snapshots} snapshots: VmRSS {} KiB, \
                     at most {} threads, longest line {} bytes",
                    started.elapsed(),
                    figures.rss / 1024,
                    figures.max_threads,
                    figures.max_line
                );
                warm = Some(figures);
                // From here on, what grows is measured against the warm
                // figures.
                end = Figures::default();
            }
        }
        end.rss = rss_of(observed.pid)?;
        let warm = warm.ok_or("the soak ended before its warm-up")?;
        println!(
            "console_soak: after {:.1?} and {snapshots} snapshots at 10 ms: VmRSS {} KiB \
             ({:+} KiB since warm), at most {} threads, longest line {} bytes",
            started.elapsed(),
            end.rss / 1024,
            (end.rss as i64 - warm.rss as i64) / 1024,
            end.max_threads,
            end.max_line
        );
        println!(
            "console_soak: VmRSS (s, KiB): {}",
            trajectory
                .iter()
                .map(|(at, rss)| format!("{at}:{}", rss / 1024))
                .collect::<Vec<_>>()
                .join(" ")
        );
        let exit = observed.stop(deadline)?;

        ensure(
            end.rss <= warm.rss + GROWTH_BOUND,
            &format!(
                "VmRSS grew by at most {} KiB from the warm-up to the end: {} KiB -> {} KiB",
                GROWTH_BOUND / 1024,
                warm.rss / 1024,
                end.rss / 1024
            ),
        )?;
        // The tree is steady: its size and its snapshot's stay so. A
        // thread more is `main/churn/short` caught alive; the line grows
        // only by the digits of the ages.
        ensure(
            end.max_threads <= warm.max_threads + 1,
            &format!(
                "as many threads after the warm-up as during it: {} then {}",
                warm.max_threads, end.max_threads
            ),
        )?;
        ensure(
            end.max_line <= warm.max_line + warm.max_line / 10,
            &format!(
                "the snapshot line stays within 10% of its warm length: {} then {} bytes",
                warm.max_line, end.max_line
            ),
        )?;
        ensure(
            snapshots >= 100,
            &format!("the client is sent snapshots all along: {snapshots}"),
        )?;
        ensure(exit.0 == Some(0), &format!("the program exits 0: {exit:?}"))?;
        ensure(!socket.exists(), "the socket is removed at the end")?;
        Ok(())
    }

    /// What one stretch of the run saw.
    #[derive(Default, Clone, Copy)]
    struct Figures {
        rss: u64,
        max_threads: usize,
        max_line: usize,
    }

    /// The observed process, in a console directory of its own.
    struct Observed {
        child: Child,
        pid: u32,
        runtime_dir: PathBuf,
        directory: PathBuf,
        stderr: PathBuf,
        base: Instant,
    }

    impl Observed {
        fn start(base: Instant, deadline: Duration) -> Result<Observed, String> {
            let runtime_dir =
                std::env::temp_dir().join(format!("more-threads-soak-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&runtime_dir);
            std::fs::create_dir_all(&runtime_dir).map_err(|e| e.to_string())?;
            // The log goes to a file: a pipe nobody drains would block the
            // logger, and the file is there to read when the test fails.
            let stderr = runtime_dir.join("stderr.log");
            let log = std::fs::File::create(&stderr).map_err(|e| e.to_string())?;
            let mut child = Command::new(std::env::current_exe().map_err(|e| e.to_string())?)
                .arg("--observed")
                .env("XDG_RUNTIME_DIR", &runtime_dir)
                .env_remove("MORE_THREADS_CONSOLE")
                .env_remove("MORE_THREADS_PROFILE")
                .env("RUST_LOG", "info")
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(log)
                .spawn()
                .map_err(|e| format!("spawning: {e}"))?;
            let mut ready = String::new();
            // `ready` comes once the tree is started; the socket was bound
            // before main's body ran.
            BufReader::new(child.stdout.take().ok_or("stdout is piped")?)
                .read_line(&mut ready)
                .map_err(|e| e.to_string())?;
            let pid = ready
                .strip_prefix("ready ")
                .and_then(|pid| pid.trim().parse().ok())
                .ok_or_else(|| format!("`ready PID` first: {ready:?}"))?;
            let observed = Observed {
                child,
                pid,
                directory: runtime_dir.join("more-threads"),
                runtime_dir,
                stderr,
                base,
            };
            observed.before(deadline, "ready")?;
            Ok(observed)
        }

        fn before(&self, deadline: Duration, what: &str) -> Result<(), String> {
            if self.base.elapsed() > deadline {
                return Err(format!("not within {deadline:?}: {what}"));
            }
            std::thread::yield_now();
            Ok(())
        }

        /// SIGTERM, then its exit code, once it has ended.
        fn stop(mut self, deadline: Duration) -> Result<(Option<i32>, String), String> {
            let sent = Command::new("kill")
                .args(["-TERM", &self.pid.to_string()])
                .status()
                .map_err(|e| e.to_string())?;
            ensure(sent.success(), "kill -TERM")?;
            let status = loop {
                match self.child.try_wait().map_err(|e| e.to_string())? {
                    Some(status) => break status,
                    None => self.before(deadline, "the program's end after SIGTERM")?,
                }
            };
            let log = std::fs::read_to_string(&self.stderr).unwrap_or_default();
            let tail: String = log
                .lines()
                .filter(|line| !line.contains("soak: log line"))
                .collect::<Vec<_>>()
                .join("\n");
            Ok((status.code(), tail))
        }
    }

    impl Drop for Observed {
        /// A failed run leaves no process and no directory behind.
        fn drop(&mut self) {
            if let Ok(None) = self.child.try_wait() {
                let _ = self.child.kill();
                let _ = self.child.wait();
            }
            let _ = std::fs::remove_dir_all(&self.runtime_dir);
        }
    }

    /// The resident memory of `pid`, in bytes.
    fn rss_of(pid: u32) -> Result<u64, String> {
        let status = Path::new("/proc").join(pid.to_string()).join("status");
        let text = std::fs::read_to_string(&status).map_err(|e| format!("{status:?}: {e}"))?;
        text.lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))
            .and_then(|rest| rest.trim().strip_suffix("kB"))
            .and_then(|kib| kib.trim().parse::<u64>().ok())
            .map(|kib| kib * 1024)
            .ok_or_else(|| format!("no VmRSS in {status:?}"))
    }

    fn read_raw_line(lines: &mut impl BufRead) -> Result<String, String> {
        let mut line = String::new();
        match lines.read_line(&mut line) {
            Ok(0) => Err("the console closed the connection".to_owned()),
            Ok(_) => Ok(line),
            Err(error) => Err(format!("reading from the console: {error}")),
        }
    }

    fn read_line(lines: &mut impl BufRead) -> Result<Value, String> {
        let line = read_raw_line(lines)?;
        serde_json::from_str(&line).map_err(|e| format!("{e}: {line}"))
    }

    fn ensure(holds: bool, what: &str) -> Result<(), String> {
        if holds {
            Ok(())
        } else {
            Err(format!("expected: {what}"))
        }
    }
}
