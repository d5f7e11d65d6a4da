//! The central logger and the profile at exit, checked on real processes:
//! this binary runs each scenario as a child process of itself
//! (`log_process --scenario <name>`) and checks what it wrote and how it
//! exited. No libtest harness: `Main::run` owns the process's main thread,
//! and each scenario needs a process whose logger is its own.

mod common;

use more_threads::logging::Config;
use more_threads::{BoxError, Lock, Main, Thread, ThreadError, Till};
use std::io::Write;
use std::process::{Command, ExitCode};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().collect();
    match arguments.get(1).map(String::as_str) {
        Some("--scenario") => run_scenario(&arguments[2], arguments.get(3).map(String::as_str)),
        // `cargo test` passes libtest flags: ignore them.
        _ => check_every_scenario(),
    }
}

// ---------------------------------------------------------------- scenarios

/// Records handed over by every thread of the `no-record-lost` scenario.
static HANDED_OVER: AtomicU64 = AtomicU64::new(0);

const THREADS: usize = 8;
const RECORDS: u64 = 100_000;

fn run_scenario(name: &str, file: Option<&str>) -> ExitCode {
    let main = Main::new().shutdown_deadline(Duration::from_secs(20));
    match name {
        // Logs at each level to two targets; RUST_LOG decides what is written.
        "levels" => main.run(|_| {
            log::info!(target: "mycrate", "mycrate info");
            log::debug!(target: "mycrate", "mycrate debug");
            log::trace!(target: "mycrate::deep", "mycrate deep trace");
            log::info!(target: "other", "other info");
            log::warn!(target: "other", "other warn");
        }),
        // 8 threads log up to 100,000 records each to a file; main returns
        // (the shutdown begins) while they are at it.
        "no-record-lost" => {
            let config = Config::new().filter("info").to_file(file.unwrap());
            let code = main.log_config(config).run(|_| {
                for index in 0..THREADS {
                    Thread::run(&format!("logger-{index}"), move |please_stop| {
                        for record in 0..RECORDS {
                            if please_stop.is_go() {
                                break;
                            }
                            log::info!(target: "load", "record {record} of thread {index}");
                            HANDED_OVER.fetch_add(1, Ordering::Relaxed);
                        }
                    })?
                    .release();
                }
                // The shutdown begins in the middle of them.
                let started = Instant::now();
                while HANDED_OVER.load(Ordering::Relaxed) < 100_000
                    && started.elapsed() < Duration::from_secs(60)
                {
                    Till::seconds(0.001).wait();
                }
                Ok::<_, ThreadError>(())
            });
            println!("handed over {}", HANDED_OVER.load(Ordering::Relaxed));
            code
        }
        // A writer far slower than the records; a thread that ignores
        // please_stop, so the shutdown waits until a second SIGINT.
        "forced-exit" => {
            let config = Config::new()
                .filter("info")
                .capacity(100_000)
                .to_writer(Slow(std::io::stderr()));
            main.log_config(config).run(|please_stop| {
                for record in 0..10_000 {
                    log::info!(target: "load", "record {record}");
                }
                Thread::run("ignores-please-stop", |_| -> () {
                    loop {
                        std::thread::sleep(Duration::from_millis(10));
                    }
                })?
                .release();
                // Said on stdout when the first SIGINT was taken (its log
                // line waits behind the slow writer): the test's cue for
                // the second.
                please_stop.then(|| {
                    println!("stopping");
                    std::io::stdout().flush().unwrap();
                });
                println!("ready");
                std::io::stdout().flush().unwrap();
                please_stop.wait();
                Ok::<_, ThreadError>(())
            })
        }
        // A writer that refuses every line: a full disk.
        "refusing-writer" => {
            let config = Config::new().filter("info").to_writer(Refuses);
            main.log_config(config).run(|_| {
                for record in 0..10 {
                    log::info!(target: "load", "record {record}");
                }
            })
        }
        // The environment picks JSON lines and the file.
        "json-from-env" => main.run(|_| {
            let _context = more_threads::logging::context([("job", "42")]);
            Thread::run(
                "json-child",
                |_| log::info!(target: "app", "from the child"),
            )?
            .join()
        }),
        // The program's own logger, env_logger from RUST_LOG, wrapped and
        // installed before Main (which keeps it); a released grandchild of
        // main fails under a context set in main.
        "env-logger-with-context" => {
            more_threads::logging::with_context(env_logger::Builder::from_default_env().build())
                .install()
                .expect("the first logger of the process");
            main.run(|_| {
                let _job = more_threads::logging::context([("job", "42")]);
                log::info!("an info record");
                Thread::run("parent", |_| {
                    Thread::run("doomed", |_| -> Result<(), BoxError> {
                        Err("the disk is full".into())
                    })?
                    .release();
                    Ok::<_, ThreadError>(())
                })?
                .join()
            })
        }
        // A known workload, profiled from the start; the table on stderr and
        // the timeline in a file at exit.
        "profile-at-exit" => main.profile("-").trace(file.unwrap()).run(|_| {
            let held = Arc::new(Lock::named("held", ()));
            let holding = more_threads::Signal::named("holding");
            let holder = {
                let (held, holding) = (held.clone(), holding.clone());
                Thread::run("holder", move |_| {
                    let _guard = held.lock();
                    holding.go();
                    Till::seconds(0.1).wait();
                })?
            };
            holding.wait();
            let waiters: Vec<_> = (0..2)
                .map(|index| {
                    let held = held.clone();
                    Thread::run(&format!("waiter-{index}"), move |_| drop(held.lock()))
                })
                .collect::<Result<_, _>>()?;
            holder.join()?;
            for waiter in waiters {
                waiter.join()?;
            }
            Ok::<_, ThreadError>(())
        }),
        other => {
            eprintln!("unknown scenario {other:?}");
            ExitCode::from(64)
        }
    }
}

/// A writer that refuses everything.
struct Refuses;

impl Write for Refuses {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::Error::other("no space left on device"))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A writer that takes 5 ms a write.
struct Slow<W>(W);

impl<W: Write> Write for Slow<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        std::thread::sleep(Duration::from_millis(5));
        // A few bytes at a time: a slow disk.
        let some = bytes.len().min(64);
        self.0.write(&bytes[..some])
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

// ------------------------------------------------------------------ checks

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn ensure(&self, condition: bool, what: &str) -> Result<(), String> {
        if condition {
            return Ok(());
        }
        let tail = |text: &str| {
            let lines: Vec<&str> = text.lines().collect();
            lines[lines.len().saturating_sub(30)..].join("\n")
        };
        Err(format!(
            "{what}\n  exit code: {:?}\n  stdout (tail):\n{}\n  stderr (tail):\n{}",
            self.code,
            tail(&self.stdout),
            tail(&self.stderr)
        ))
    }
}

fn scenario(name: &str, file: Option<&str>) -> Command {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command.args(["--scenario", name]);
    command.args(file);
    command.env_remove("RUST_LOG");
    command.env_remove("MORE_THREADS_LOG_FORMAT");
    command.env_remove("MORE_THREADS_LOG_FILE");
    command
}

fn run(mut command: Command) -> Run {
    let output = command.output().unwrap();
    Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn temp_file(name: &str) -> String {
    let path = std::env::temp_dir().join(format!("more-threads-{name}-{}", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path.to_string_lossy().into_owned()
}

fn rust_log_warn_keeps_warnings_and_errors_only() -> Result<(), String> {
    let mut command = scenario("levels", None);
    command.env("RUST_LOG", "warn");
    let run = run(command);
    run.ensure(run.code == Some(0), "exit code 0")?;
    run.ensure(
        run.stderr.contains("WARN  [main] other warn"),
        "the warning is written",
    )?;
    run.ensure(
        !run.stderr.contains("mycrate info") && !run.stderr.contains("other info"),
        "nothing under WARN is written",
    )
}

fn without_rust_log_the_central_logger_writes_info_and_above() -> Result<(), String> {
    let run = run(scenario("levels", None));
    run.ensure(run.code == Some(0), "exit code 0")?;
    run.ensure(
        run.stderr.contains("INFO  [main] mycrate info")
            && run.stderr.contains("WARN  [main] other warn"),
        "INFO and above are written",
    )?;
    run.ensure(
        !run.stderr.contains("mycrate debug") && !run.stderr.contains("mycrate deep trace"),
        "nothing under INFO is written",
    )
}

fn env_logger_with_context_keeps_its_default_and_adds_the_thread_and_context() -> Result<(), String>
{
    let mut command = scenario("env-logger-with-context", None);
    // No colour codes around the level, whatever the terminal says.
    command.env("RUST_LOG_STYLE", "never");
    let run = run(command);
    run.ensure(
        !run.stderr.contains("an info record"),
        "RUST_LOG unset: env_logger's default, errors only, is what filters",
    )?;
    let line = run
        .stderr
        .lines()
        .find(|line| line.contains("main/parent/doomed failed"))
        .unwrap_or_default();
    run.ensure(
        line.contains(" ERROR ")
            && line.ends_with("the disk is full thread=doomed path=main/parent/doomed job=42"),
        &format!(
            "the released grandchild's failure, written by env_logger (kept by Main), \
             with its thread, path and the context set in main: {line:?}"
        ),
    )
}

fn rust_log_for_one_crate_keeps_that_crate_only_as_env_logger_does() -> Result<(), String> {
    let mut command = scenario("levels", None);
    command.env("RUST_LOG", "mycrate=debug");
    let run = run(command);
    run.ensure(run.code == Some(0), "exit code 0")?;
    run.ensure(
        run.stderr.contains("mycrate info") && run.stderr.contains("mycrate debug"),
        "mycrate's records down to DEBUG are written",
    )?;
    run.ensure(
        !run.stderr.contains("mycrate deep trace"),
        "TRACE is below mycrate's level",
    )?;
    run.ensure(
        !run.stderr.contains("other info") && !run.stderr.contains("other warn"),
        "other crates are off, as with env_logger",
    )
}

fn no_record_is_lost_when_the_shutdown_comes_in_the_middle() -> Result<(), String> {
    let file = temp_file("no-record-lost.log");
    let run = run(scenario("no-record-lost", Some(&file)));
    run.ensure(run.code == Some(0), "exit code 0")?;
    let handed_over: u64 = run
        .stdout
        .lines()
        .find_map(|line| line.strip_prefix("handed over "))
        .and_then(|count| count.parse().ok())
        .ok_or_else(|| format!("no count on stdout: {}", run.stdout))?;
    let written = std::fs::read_to_string(&file).map_err(|error| error.to_string())?;
    let lines = written
        .lines()
        .filter(|line| line.contains("] record "))
        .count() as u64;
    let _ = std::fs::remove_file(&file);
    run.ensure(
        handed_over >= 100_000,
        "the shutdown came after 100,000 records at least",
    )?;
    run.ensure(
        handed_over < THREADS as u64 * RECORDS,
        "the shutdown came in the middle: not every thread logged all it could",
    )?;
    run.ensure(
        lines == handed_over,
        &format!("every record handed over is in the file: {lines} lines for {handed_over}"),
    )
}

fn a_forced_exit_says_how_many_records_it_could_not_write() -> Result<(), String> {
    let started = Instant::now();
    let child =
        common::Watched::start(&mut scenario("forced-exit", None), Duration::from_secs(120));
    let steps = child
        .wait_for(common::Stream::Stdout, "ready\n")
        .and_then(|()| {
            child.signal("INT");
            child.wait_for(common::Stream::Stdout, "stopping\n")
        })
        .map(|()| {
            // A second request, not a second delivery of the first.
            std::thread::sleep(common::SECOND_REQUEST);
            child.signal("INT");
        });
    let finished = child.finish();
    let run = Run {
        code: finished.code,
        stdout: finished.stdout,
        stderr: finished.stderr,
    };
    if let Err(why) = steps {
        return run.ensure(false, &why);
    }
    run.ensure(run.code == Some(130), "exit code 130 (EXIT_INTERRUPTED)")?;
    let count = run
        .stderr
        .lines()
        .find_map(|line| {
            // The slow writer may be in the middle of a line.
            line.split_once("more-threads: forced exit: ")?
                .1
                .split(' ')
                .next()?
                .parse::<u64>()
                .ok()
        })
        .ok_or_else(|| "no forced-exit count on stderr".to_owned());
    let count = match count {
        Ok(count) => count,
        Err(error) => return run.ensure(false, &error),
    };
    run.ensure(
        count > 0,
        "the slow writer left records unwritten, and says so",
    )?;
    run.ensure(
        started.elapsed() < Duration::from_secs(30),
        "left at once, without waiting for the writer",
    )
}

fn the_environment_chooses_json_lines_in_a_file() -> Result<(), String> {
    let file = temp_file("json.log");
    let mut command = scenario("json-from-env", None);
    command.env("MORE_THREADS_LOG_FORMAT", "json");
    command.env("MORE_THREADS_LOG_FILE", &file);
    let run = run(command);
    run.ensure(run.code == Some(0), "exit code 0")?;
    let written = std::fs::read_to_string(&file).map_err(|error| error.to_string())?;
    let _ = std::fs::remove_file(&file);
    let line = written
        .lines()
        .find(|line| line.contains("from the child"))
        .ok_or_else(|| format!("no line from the child in {written}"))?;
    let value: serde_json::Value = serde_json::from_str(line).map_err(|error| error.to_string())?;
    run.ensure(value["path"] == "main/json-child", "the child's path")?;
    run.ensure(
        value["kv"]["job"] == "42",
        "the context inherited from main",
    )?;
    run.ensure(value["level"] == "INFO", "the level")
}

fn lines_a_failing_writer_lost_are_counted_on_stderr_at_exit() -> Result<(), String> {
    let run = run(scenario("refusing-writer", None));
    run.ensure(
        run.code == Some(0),
        "exit code 0: the work itself succeeded",
    )?;
    run.ensure(
        run.stderr.contains(
            "more-threads: 10 log records were lost: the log writer failed or panicked while writing them",
        ),
        "the loss is said, with the count",
    )
}

fn the_profile_and_the_timeline_are_written_at_exit() -> Result<(), String> {
    let file = temp_file("trace.json");
    let run = run(scenario("profile-at-exit", Some(&file)));
    run.ensure(run.code == Some(0), "exit code 0")?;
    run.ensure(run.stderr.contains("threads "), "the table is on stderr")?;
    run.ensure(
        run.stderr.lines().any(|line| line.starts_with("waiter-# ")),
        "the waiters fold into one row",
    )?;
    run.ensure(
        run.stderr
            .lines()
            .any(|line| line.starts_with("Lock \"held\"")),
        "the Lock they waited on is named",
    )?;
    let trace = std::fs::read_to_string(&file).map_err(|error| error.to_string())?;
    let _ = std::fs::remove_file(&file);
    let value: serde_json::Value =
        serde_json::from_str(&trace).map_err(|error| error.to_string())?;
    let names: Vec<&str> = value["traceEvents"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|event| event["name"] == "thread_name")
        .filter_map(|event| event["args"]["name"].as_str())
        .collect();
    run.ensure(
        ["main", "main/holder", "main/waiter-0", "main/waiter-1"]
            .iter()
            .all(|path| names.contains(path)),
        &format!("a track per thread, named by path: {names:?}"),
    )
}

fn check_every_scenario() -> ExitCode {
    common::run_checks(&[
        (
            "rust_log_warn_keeps_warnings_and_errors_only",
            rust_log_warn_keeps_warnings_and_errors_only,
        ),
        (
            "without_rust_log_the_central_logger_writes_info_and_above",
            without_rust_log_the_central_logger_writes_info_and_above,
        ),
        (
            "env_logger_with_context_keeps_its_default_and_adds_the_thread_and_context",
            env_logger_with_context_keeps_its_default_and_adds_the_thread_and_context,
        ),
        (
            "rust_log_for_one_crate_keeps_that_crate_only_as_env_logger_does",
            rust_log_for_one_crate_keeps_that_crate_only_as_env_logger_does,
        ),
        (
            "no_record_is_lost_when_the_shutdown_comes_in_the_middle",
            no_record_is_lost_when_the_shutdown_comes_in_the_middle,
        ),
        (
            "a_forced_exit_says_how_many_records_it_could_not_write",
            a_forced_exit_says_how_many_records_it_could_not_write,
        ),
        (
            "the_environment_chooses_json_lines_in_a_file",
            the_environment_chooses_json_lines_in_a_file,
        ),
        (
            "lines_a_failing_writer_lost_are_counted_on_stderr_at_exit",
            lines_a_failing_writer_lost_are_counted_on_stderr_at_exit,
        ),
        (
            "the_profile_and_the_timeline_are_written_at_exit",
            the_profile_and_the_timeline_are_written_at_exit,
        ),
    ])
}
