//! One run of a child process, watched from its node's thread: started in a
//! group of its own, its streams read by child threads, a watchdog that
//! ends it when asked to stop or when it is silent too long, and its end
//! turned into an exit status or a [`ProcessError`].

use super::error::{ProcessError, ProcessErrorKind};
use super::group::{self, Group};
use super::output::{Destination, Heard, Tail, read_lines};
use crate::local::blocked::{Blocked, Elsewhere};
use crate::observed::{ObservedProcess, ProcessFigures};
use crate::queue::Queue;
use crate::signal::{Signal, StopReason};
use crate::sync::Arc;
use crate::sync::real::{AtomicU32, Mutex, OnceLock, Ordering};
use crate::thread::{Thread, ThreadError};
use crate::till::Till;
use crossbeam_channel::Sender;
use rustix::process::Signal as OsSignal;
use std::io;
use std::process::{ChildStdin, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use super::Output;

/// What a process's stdin is; set with
/// [`ProcessBuilder::stdin`](crate::process::ProcessBuilder::stdin).
///
/// ```
/// use more_threads::{process::Input, process::Output, Process};
/// use std::io::Write;
///
/// let mut sorter = Process::builder("sort", std::process::Command::new("sort"))
///     .stdin(Input::Piped)
///     .stdout(Output::Queue)
///     .spawn()?;
/// let mut stdin = sorter.take_stdin().unwrap();
/// stdin.write_all(b"b\na\n").unwrap();
/// stdin.close();
/// let lines = sorter.stdout().unwrap().clone();
/// sorter.join()?;
/// assert_eq!(lines.pop_all(), ["a", "b"]);
/// # Ok::<(), more_threads::process::ProcessError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Input {
    /// Nothing: the child reads end-of-file at once.
    Null,
    /// Ours.
    Inherit,
    /// A pipe, written through [`Process::take_stdin`](crate::Process::take_stdin).
    Piped,
}

/// Everything a run needs, the same for every restart.
pub(super) struct Spec {
    pub(super) command: Command,
    pub(super) command_line: Arc<str>,
    pub(super) grace: Duration,
    pub(super) stdout: Output,
    pub(super) stderr: Output,
    pub(super) stdin: Input,
    pub(super) silence: Option<Duration>,
    pub(super) startup: Option<Duration>,
}

/// What the handle shares with the watching thread (and the console reads:
/// it is registered in `observed`, for as long as either holds it).
#[derive(Default)]
pub(super) struct Shared {
    /// The pid of the run under way (0 before the first).
    pub(super) pid: AtomicU32,
    pub(super) stdout: Option<Queue<String>>,
    pub(super) stderr: Option<Queue<String>>,
    pub(super) stdin: Mutex<Option<ChildStdin>>,
    /// The command line, as started, for the console.
    pub(super) command_line: Arc<str>,
    /// The path of the node that watches it, once it has one.
    pub(super) path: OnceLock<Arc<str>>,
    /// How the last run ended, until the next one starts: written once a
    /// run, read by the console.
    pub(super) ended: Mutex<Option<ExitStatus>>,
}

impl ObservedProcess for Shared {
    fn figures(&self) -> Option<ProcessFigures> {
        let pid = self.pid.load(Ordering::Acquire);
        if pid == 0 {
            return None;
        }
        let state = match *self.ended.lock() {
            Some(status) => ended(status),
            None => "running".to_owned(),
        };
        Some(ProcessFigures {
            pid,
            command: self.command_line.clone(),
            path: self.path.get().cloned(),
            state,
        })
    }
}

/// How a run ended, for the console: `exited 0`, `killed by SIGTERM`.
fn ended(status: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt as _;
    if let Some(code) = status.code() {
        return format!("exited {code}");
    }
    let Some(raw) = status.signal() else {
        return status.to_string();
    };
    let names = [
        (OsSignal::HUP, "SIGHUP"),
        (OsSignal::INT, "SIGINT"),
        (OsSignal::QUIT, "SIGQUIT"),
        (OsSignal::ILL, "SIGILL"),
        (OsSignal::ABORT, "SIGABRT"),
        (OsSignal::BUS, "SIGBUS"),
        (OsSignal::FPE, "SIGFPE"),
        (OsSignal::KILL, "SIGKILL"),
        (OsSignal::USR1, "SIGUSR1"),
        (OsSignal::SEGV, "SIGSEGV"),
        (OsSignal::USR2, "SIGUSR2"),
        (OsSignal::PIPE, "SIGPIPE"),
        (OsSignal::ALARM, "SIGALRM"),
        (OsSignal::TERM, "SIGTERM"),
    ];
    match names.iter().find(|(signal, _)| signal.as_raw() == raw) {
        Some((_, name)) => format!("killed by {name}"),
        None => format!("killed by signal {raw}"),
    }
}

/// Why the watchdog ended the run.
#[derive(Clone, Copy)]
enum Verdict {
    /// Asked to stop; `killed` if it ignored SIGTERM for the grace period.
    Stopped {
        killed: bool,
    },
    Silent(Duration),
}

/// Runs the process once. `started`, on the first run only, hears its pid
/// or why it could not start (then the run returns `Ok(None)`: the caller
/// of `spawn` reports it, not the thread).
pub(super) fn run_once(
    spec: &mut Spec,
    shared: &Shared,
    started: Option<Sender<io::Result<u32>>>,
) -> Result<Option<ExitStatus>, ProcessError> {
    let me = crate::thread::current::current();
    let failure = |kind| {
        ProcessError::new(
            me.name.clone(),
            me.path.clone(),
            spec.command_line.clone(),
            kind,
        )
    };
    let command = &mut spec.command;
    command.stdout(stdio(spec.stdout));
    command.stderr(match spec.stderr {
        // Piped whatever its destination: its tail is the failure's.
        Output::Inherit => Stdio::inherit(),
        _ => Stdio::piped(),
    });
    command.stdin(match spec.stdin {
        Input::Null => Stdio::null(),
        Input::Inherit => Stdio::inherit(),
        Input::Piped => Stdio::piped(),
    });
    group::prepare(command);
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(error) => {
            return match started {
                Some(started) => {
                    let _ = started.send(Err(error));
                    Ok(None)
                }
                None => Err(failure(ProcessErrorKind::NotStarted).with_source(error)),
            };
        }
    };
    // First, so that the guardian knows of the group at once.
    let group = Arc::new(Group::of(&child));
    let pid = child.id();
    *shared.ended.lock() = None;
    shared.pid.store(pid, Ordering::Release);
    *shared.stdin.lock() = child.stdin.take();
    if let Some(started) = started {
        let _ = started.send(Ok(pid));
    }
    let heard = Arc::new(Heard::new());
    let tail = Arc::new(Tail::default());
    let exited = Signal::named(format!("{} exited", me.path));
    let give_up_reading = Signal::named(format!("{} streams given up", me.path));
    let mut readers = Vec::new();
    let streams = [
        (
            "stdout",
            child.stdout.take().map(Stream::Out),
            spec.stdout,
            &shared.stdout,
        ),
        (
            "stderr",
            child.stderr.take().map(Stream::Err),
            spec.stderr,
            &shared.stderr,
        ),
    ];
    for (name, stream, output, queue) in streams {
        let Some(stream) = stream else { continue };
        let destination = match (output, queue) {
            (Output::Queue, Some(queue)) => Destination::Queue(queue.clone()),
            (Output::Log(level), _) => Destination::Log {
                level,
                name: me.name.clone(),
                path: me.path.clone(),
            },
            _ => Destination::Nowhere,
        };
        let keeps_tail = name == "stderr";
        let (heard, tail, give_up) = (heard.clone(), tail.clone(), give_up_reading.clone());
        // A reader ends at the end of its stream, not when asked to stop:
        // the output of a process that is stopping is still read, to the
        // last line. The run gives up on it only if the stream stays open
        // past the process's end (held by a process that left its group).
        let reader = Thread::run(name, move |_please_stop| {
            let _reading = Blocked::Elsewhere(Elsewhere {
                doing: "reading",
                what: format!("{name} of pid {pid}").into(),
                quoted: false,
                filed_as: Some("a child process's output"),
            })
            .enter();
            let tail = keeps_tail.then_some(&*tail);
            match stream {
                Stream::Out(out) => read_lines(out, &give_up, &destination, tail, &heard),
                Stream::Err(err) => read_lines(err, &give_up, &destination, tail, &heard),
            }
        });
        match reader {
            Ok(reader) => readers.push(reader),
            Err(error) => {
                let _ = group.signal(OsSignal::KILL);
                let _ = group.wait(&mut child);
                return Err(failure(ProcessErrorKind::Thread).with_source(error));
            }
        }
    }
    let verdict: Arc<Mutex<Option<Verdict>>> = Arc::default();
    let watchdog = {
        let (group, heard, exited, verdict) = (
            group.clone(),
            heard.clone(),
            exited.clone(),
            verdict.clone(),
        );
        let (grace, silence, startup) = (spec.grace, spec.silence, spec.startup);
        let process: Arc<str> = format!("process {} (pid {pid})", me.path).into();
        Thread::run("watchdog", move |please_stop| {
            let ended = watch(
                please_stop,
                &exited,
                &group,
                grace,
                &heard,
                silence,
                startup,
                &process,
            );
            *verdict.lock() = ended;
        })
    };
    let status = {
        let _blocked = Blocked::Elsewhere(Elsewhere {
            doing: "running process",
            what: format!("pid {pid}: {}", spec.command_line).into(),
            quoted: false,
            filed_as: Some("a child process"),
        })
        .enter();
        group.wait(&mut child)
    };
    if let Ok(status) = &status {
        *shared.ended.lock() = Some(*status);
    }
    let exit = StopReason::ProcessExited {
        process: format!("{} (pid {pid})", me.path).into(),
        status: match &status {
            Ok(status) => status.to_string().into(),
            Err(error) => format!("cannot tell how: {error}").into(),
        },
    };
    exited.go_because(exit.clone());
    *shared.stdin.lock() = None;
    // The group is gone: the streams end now, unless a process that left
    // the group holds them; it gets the grace period, no more.
    let streams_end = Till::after(spec.grace);
    for reader in &readers {
        (reader.stopped() | &streams_end).wait();
    }
    give_up_reading.go_because(exit);
    for reader in readers {
        reader
            .join()
            .map_err(|error| thread_failure(error, &failure))?;
    }
    if let Ok(watchdog) = watchdog {
        watchdog
            .join()
            .map_err(|error| thread_failure(error, &failure))?;
    }
    let status = status.map_err(|error| failure(ProcessErrorKind::Thread).with_source(error))?;
    let with_tail = |error: ProcessError| error.with_status(status).with_stderr_tail(tail.lines());
    let verdict = *verdict.lock();
    match verdict {
        Some(Verdict::Stopped { killed: false }) => Ok(Some(status)),
        Some(Verdict::Stopped { killed: true }) => {
            Err(with_tail(failure(ProcessErrorKind::Killed)))
        }
        Some(Verdict::Silent(silent)) => Err(with_tail(
            failure(ProcessErrorKind::Silent).with_silence(silent),
        )),
        None if status.success() => Ok(Some(status)),
        None if status.code().is_some() => Err(with_tail(failure(ProcessErrorKind::Exited))),
        None => Err(with_tail(failure(ProcessErrorKind::Signalled))),
    }
}

enum Stream {
    Out(std::process::ChildStdout),
    Err(std::process::ChildStderr),
}

fn stdio(output: Output) -> Stdio {
    match output {
        Output::Queue | Output::Log(_) => Stdio::piped(),
        Output::Inherit => Stdio::inherit(),
        Output::Null => Stdio::null(),
    }
}

fn thread_failure(
    error: ThreadError,
    failure: &impl Fn(ProcessErrorKind) -> ProcessError,
) -> ProcessError {
    failure(ProcessErrorKind::Thread).with_source(error)
}

/// The watchdog: until the process exits, ends it when `please_stop` goes
/// (SIGTERM to its group, SIGKILL after `grace`) or when it is silent past
/// its timeout. Says why it ended it, if it did. While it ends a silent
/// one, `health()` says so, naming `process`.
#[allow(clippy::too_many_arguments)] // the run's parts, each named where it is read
fn watch(
    please_stop: &Signal,
    exited: &Signal,
    group: &Group,
    grace: Duration,
    heard: &Heard,
    silence: Option<Duration>,
    startup: Option<Duration>,
    process: &Arc<str>,
) -> Option<Verdict> {
    let silent_since = || {
        let (since, wrote) = heard.last();
        let allowed = if wrote { silence } else { startup.or(silence) };
        allowed.map(|allowed| (since, allowed))
    };
    loop {
        let deadline = silent_since().map(|(since, allowed)| since + allowed);
        // Before the first output, that output changes the deadline.
        let wake = match heard.last() {
            (_, false) => please_stop | exited | &heard.first,
            (_, true) => please_stop | exited,
        };
        match deadline {
            Some(deadline) => (wake | Till::at(deadline)).wait(),
            None => wake.wait(),
        }
        if exited.is_go() {
            return None;
        }
        if please_stop.is_go() {
            let killed = end(group, exited, grace);
            return Some(Verdict::Stopped { killed });
        }
        // The deadline went; output may have come meanwhile.
        if let Some((since, allowed)) = silent_since() {
            if Instant::now() >= since + allowed {
                let _unhealthy = {
                    let process = process.clone();
                    crate::health::add_check(move || {
                        Some(format!(
                            "{process} was silent past its timeout ({allowed:?}): it is being ended"
                        ))
                    })
                };
                end(group, exited, grace);
                return Some(Verdict::Silent(allowed));
            }
        }
    }
}

/// SIGTERM to the group, and SIGKILL if it has not exited after `grace`.
/// Says whether it took SIGKILL.
fn end(group: &Group, exited: &Signal, grace: Duration) -> bool {
    if !group.signal(OsSignal::TERM) {
        return false;
    }
    (exited | Till::after(grace)).wait();
    !exited.is_go() && group.signal(OsSignal::KILL)
}
