//! [`Process`], the handle of a child process in the tree, and
//! [`ProcessBuilder`], its options.

use super::Output;
use super::error::{ProcessError, ProcessErrorKind};
use super::watch::{Input, Shared, Spec, run_once};
use crate::observed::PROCESSES;
use crate::queue::Queue;
use crate::signal::Signal;
use crate::sync::Arc;
use crate::sync::real::Ordering;
use crate::thread::ThreadName;
use crate::thread::{Restart, Thread, ThreadRef};
use std::fmt;
use std::io::{self, Write};
use std::process::{Command, ExitStatus};
use std::time::Duration;

/// How long a process has between SIGTERM and SIGKILL, unless told.
const DEFAULT_GRACE: Duration = Duration::from_secs(3);

/// A child process, as a node of the thread tree: a child of the thread
/// that started it, ended by whatever ends a thread.
///
/// Its node is a thread that watches it, named as the process is, with
/// children `stdout`, `stderr` (the readers of its streams) and `watchdog`;
/// `dump()` shows it `running process pid N: command line`. Stopping it
/// (its parent's end, [`stop`](Process::stop), a scope's end, main's
/// shutdown) sends SIGTERM to its whole process group, then SIGKILL after
/// the [grace period](ProcessBuilder::grace), so that what it started dies
/// too; when it exits, what it left in its group is killed. If our process
/// dies, by any death (SIGKILL, `abort`, `exit` included), its whole group
/// dies with it: a small guardian process kills it (the
/// [module docs](crate::process) say what holds on which system).
///
/// ```
/// use more_threads::Process;
/// use std::process::Command;
///
/// let mut command = Command::new("sleep");
/// command.arg("30");
/// let sleeper = Process::run("sleeper", command)?;
/// sleeper.stop(); // SIGTERM to its group
/// let status = sleeper.join()?; // asked to stop and it did: not a failure
/// assert!(!status.success());
/// # Ok::<(), more_threads::process::ProcessError>(())
/// ```
pub struct Process {
    thread: Thread<Option<ExitStatus>>,
    shared: Arc<Shared>,
    command_line: Arc<str>,
    stdin: Option<ProcessStdin>,
}

/// Options for a child process; made by [`Process::builder`].
///
/// Where the OS lacks something, what is missing: without `/bin/sh` (no
/// guardian) what a child started outlives our death, and so does the
/// child on every Unix but Linux, Android and FreeBSD (no parent-death
/// signal); without `waitid` (OpenBSD) what a process leaves in its group
/// when it exits is not killed.
///
/// ```
/// use more_threads::{process::Output, Process};
/// use std::process::Command;
/// use std::time::Duration;
///
/// let mut command = Command::new("sh");
/// command.args(["-c", "echo ready; sleep 30"]);
/// let server = Process::builder("server", command)
///     .stdout(Output::Queue)
///     .grace(Duration::from_millis(500))
///     .silence(Duration::from_secs(60))
///     .spawn()?;
/// let first = server.stdout().unwrap().pop_till(&server.please_stop().clone()).unwrap();
/// assert_eq!(first, "ready");
/// server.stop();
/// server.join()?;
/// # Ok::<(), more_threads::process::ProcessError>(())
/// ```
#[must_use = "a builder does nothing until spawn()"]
pub struct ProcessBuilder {
    name: String,
    spec: Spec,
    restart: Option<Restart>,
}

impl Process {
    /// Starts `command` as a child process named `name`, a child of the
    /// current thread, with the default options: stdout logged at INFO,
    /// stderr at WARN, stdin empty, a grace period of 3 s.
    ///
    /// # Errors
    ///
    /// [`ProcessErrorKind::NotStarted`] naming the program when it cannot
    /// be started; [`ProcessErrorKind::Thread`] for a name the tree refuses
    /// (see [`ThreadErrorKind::InvalidName`](crate::thread::ThreadErrorKind::InvalidName))
    /// or when the OS refuses a thread.
    ///
    /// ```
    /// use more_threads::{Process, process::ProcessErrorKind};
    /// use std::process::Command;
    ///
    /// let error = Process::run("ghost", Command::new("no-such-program")).unwrap_err();
    /// assert_eq!(error.kind(), ProcessErrorKind::NotStarted);
    /// assert!(error.to_string().contains("could not start `no-such-program`"));
    /// assert!(Process::run("true", Command::new("true"))?.join()?.success());
    /// # Ok::<(), more_threads::process::ProcessError>(())
    /// ```
    #[track_caller]
    pub fn run(name: impl ThreadName, command: Command) -> Result<Process, ProcessError> {
        let name = name.thread_name();
        Process::builder(name, command).spawn()
    }

    /// Options for a child process: its streams, grace period, silence
    /// timeout and restart policy.
    ///
    /// ```
    /// let builder = more_threads::Process::builder("ls", std::process::Command::new("ls"));
    /// builder.spawn()?.join()?;
    /// # Ok::<(), more_threads::process::ProcessError>(())
    /// ```
    pub fn builder(name: impl ThreadName, command: Command) -> ProcessBuilder {
        let name = name.thread_name();
        let command_line = command_line(&command);
        ProcessBuilder {
            name: name.to_owned(),
            spec: Spec {
                command,
                command_line,
                grace: DEFAULT_GRACE,
                stdout: Output::Log(log::Level::Info),
                stderr: Output::Log(log::Level::Warn),
                stdin: Input::Null,
                silence: None,
                startup: None,
            },
            restart: None,
        }
    }

    /// The process's id (of its latest run, when it was restarted).
    ///
    /// ```
    /// let process = more_threads::Process::run("true", std::process::Command::new("true"))?;
    /// assert!(process.pid() > 0);
    /// process.join()?;
    /// # Ok::<(), more_threads::process::ProcessError>(())
    /// ```
    pub fn pid(&self) -> u32 {
        self.shared.pid.load(Ordering::Acquire)
    }

    /// The command line, as started.
    ///
    /// ```
    /// let mut command = std::process::Command::new("echo");
    /// command.arg("hi");
    /// let process = more_threads::Process::run("echo", command)?;
    /// assert_eq!(process.command(), "echo hi");
    /// process.join()?;
    /// # Ok::<(), more_threads::process::ProcessError>(())
    /// ```
    pub fn command(&self) -> &str {
        &self.command_line
    }

    /// Its stdout lines, when [`Output::Queue`] was chosen for it.
    ///
    /// ```
    /// use more_threads::{process::Output, Process};
    /// let mut command = std::process::Command::new("echo");
    /// command.arg("hi");
    /// let process = Process::builder("echo", command).stdout(Output::Queue).spawn()?;
    /// let lines = process.stdout().unwrap().clone();
    /// process.join()?;
    /// assert_eq!(lines.pop_all(), ["hi"]);
    /// # Ok::<(), more_threads::process::ProcessError>(())
    /// ```
    pub fn stdout(&self) -> Option<&Queue<String>> {
        self.shared.stdout.as_ref()
    }

    /// Its stderr lines, when [`Output::Queue`] was chosen for it.
    ///
    /// ```
    /// use more_threads::{process::Output, Process};
    /// let mut command = std::process::Command::new("sh");
    /// command.args(["-c", "echo oops >&2"]);
    /// let process = Process::builder("sh", command).stderr(Output::Queue).spawn()?;
    /// let lines = process.stderr().unwrap().clone();
    /// process.join()?;
    /// assert_eq!(lines.pop_all(), ["oops"]);
    /// # Ok::<(), more_threads::process::ProcessError>(())
    /// ```
    pub fn stderr(&self) -> Option<&Queue<String>> {
        self.shared.stderr.as_ref()
    }

    /// Its stdin, a writer another thread can feed, when [`Input::Piped`]
    /// was chosen (once: it is taken).
    ///
    /// ```
    /// use more_threads::{process::Input, process::Output, Process};
    /// use std::io::Write;
    ///
    /// let mut process = Process::builder("cat", std::process::Command::new("cat"))
    ///     .stdin(Input::Piped)
    ///     .stdout(Output::Queue)
    ///     .spawn()?;
    /// let mut stdin = process.take_stdin().unwrap();
    /// writeln!(stdin, "echoed").unwrap();
    /// stdin.close(); // end of file: cat exits
    /// let lines = process.stdout().unwrap().clone();
    /// process.join()?;
    /// assert_eq!(lines.pop_all(), ["echoed"]);
    /// # Ok::<(), more_threads::process::ProcessError>(())
    /// ```
    pub fn take_stdin(&mut self) -> Option<ProcessStdin> {
        self.stdin.take()
    }

    /// The process's node in the tree.
    ///
    /// ```
    /// let process = more_threads::Process::run("true", std::process::Command::new("true"))?;
    /// assert!(process.thread_ref().path().ends_with("/true"));
    /// process.join()?;
    /// # Ok::<(), more_threads::process::ProcessError>(())
    /// ```
    pub fn thread_ref(&self) -> ThreadRef {
        self.thread.thread_ref()
    }

    /// Waits until it has ended (and its readers with it): its exit status
    /// when it succeeded, or when it was asked to stop and ended within
    /// its grace period.
    ///
    /// # Errors
    ///
    /// A [`ProcessError`]: a non-zero exit code or a signal not ours, with
    /// the tail of its stderr; killed after ignoring SIGTERM; silent too
    /// long; or, with a restart policy, the failure it gave up on.
    ///
    /// ```
    /// let error = more_threads::Process::run("false", std::process::Command::new("false"))?
    ///     .join()
    ///     .unwrap_err();
    /// assert_eq!(error.code(), Some(1));
    /// # Ok::<(), more_threads::process::ProcessError>(())
    /// ```
    pub fn join(self) -> Result<ExitStatus, ProcessError> {
        let (name, path) = (self.thread.name().into(), self.thread.path().into());
        match self.thread.join() {
            Ok(Some(status)) => Ok(status),
            // Only a first run that could not start ends without a status,
            // and then `spawn` returned its error instead of a handle.
            Ok(None) => Err(ProcessError::new(
                name,
                path,
                self.command_line,
                ProcessErrorKind::NotStarted,
            )),
            Err(error) => Err(ProcessError::from_thread(error, self.command_line)),
        }
    }

    /// Lets it run on its own: its parent's end still ends it, and a
    /// failure is logged instead of returned.
    ///
    /// ```
    /// let process = more_threads::Process::run("true", std::process::Command::new("true"))?;
    /// process.release();
    /// # Ok::<(), more_threads::process::ProcessError>(())
    /// ```
    pub fn release(self) {
        self.thread.release();
    }

    /// The name it was given.
    ///
    /// ```
    /// let p = more_threads::Process::run("truth", std::process::Command::new("true"))?;
    /// assert_eq!(p.name(), "truth");
    /// p.join()?;
    /// # Ok::<(), more_threads::process::ProcessError>(())
    /// ```
    pub fn name(&self) -> &str {
        self.thread.name()
    }

    /// Its path in the tree, `main/.../name`.
    ///
    /// ```
    /// let p = more_threads::Process::run("truth", std::process::Command::new("true"))?;
    /// assert!(p.path().ends_with("/truth"));
    /// p.join()?;
    /// # Ok::<(), more_threads::process::ProcessError>(())
    /// ```
    pub fn path(&self) -> &str {
        self.thread.path()
    }

    /// The Signal that asks it to stop; [`stop`](Process::stop) makes it go.
    ///
    /// ```
    /// let p = more_threads::Process::run("truth", std::process::Command::new("true"))?;
    /// assert!(!p.please_stop().is_go());
    /// p.join()?;
    /// # Ok::<(), more_threads::process::ProcessError>(())
    /// ```
    pub fn please_stop(&self) -> &Signal {
        self.thread.please_stop()
    }

    /// Goes when it has ended, and its readers and watchdog with it.
    ///
    /// ```
    /// let p = more_threads::Process::run("truth", std::process::Command::new("true"))?;
    /// p.stopped().wait();
    /// assert!(p.join()?.success());
    /// # Ok::<(), more_threads::process::ProcessError>(())
    /// ```
    pub fn stopped(&self) -> &Signal {
        self.thread.stopped()
    }

    /// Asks it to stop: SIGTERM to its process group, then SIGKILL after
    /// the grace period. Never blocks.
    ///
    /// ```
    /// let mut command = std::process::Command::new("sleep");
    /// command.arg("30");
    /// let p = more_threads::Process::run("sleepy", command)?;
    /// p.stop();
    /// p.join()?;
    /// # Ok::<(), more_threads::process::ProcessError>(())
    /// ```
    pub fn stop(&self) {
        self.thread.stop();
    }
}

impl ProcessBuilder {
    /// Where its stdout goes: [`Output::Log`] at INFO unless told.
    ///
    /// ```
    /// use more_threads::{process::Output, Process};
    /// Process::builder("quiet", std::process::Command::new("ls")).stdout(Output::Null).spawn()?.join()?;
    /// # Ok::<(), more_threads::process::ProcessError>(())
    /// ```
    pub fn stdout(mut self, output: Output) -> ProcessBuilder {
        self.spec.stdout = output;
        self
    }

    /// Where its stderr goes: [`Output::Log`] at WARN unless told. Its last
    /// lines are kept for a failure whatever the choice, but
    /// [`Output::Inherit`].
    ///
    /// ```
    /// use more_threads::{process::Output, Process};
    /// Process::builder("ls", std::process::Command::new("ls")).stderr(Output::Inherit).spawn()?.join()?;
    /// # Ok::<(), more_threads::process::ProcessError>(())
    /// ```
    pub fn stderr(mut self, output: Output) -> ProcessBuilder {
        self.spec.stderr = output;
        self
    }

    /// What its stdin is: [`Input::Null`] unless told.
    ///
    /// ```
    /// use more_threads::{process::Input, Process};
    /// let mut p = Process::builder("cat", std::process::Command::new("cat")).stdin(Input::Piped).spawn()?;
    /// p.take_stdin().unwrap().close();
    /// p.join()?;
    /// # Ok::<(), more_threads::process::ProcessError>(())
    /// ```
    pub fn stdin(mut self, input: Input) -> ProcessBuilder {
        self.spec.stdin = input;
        self
    }

    /// How long it has to end after SIGTERM before SIGKILL: 3 s unless
    /// told. Keep it within main's shutdown deadline.
    ///
    /// ```
    /// use std::time::Duration;
    /// let p = more_threads::Process::builder("t", std::process::Command::new("true"))
    ///     .grace(Duration::from_millis(200))
    ///     .spawn()?;
    /// p.join()?;
    /// # Ok::<(), more_threads::process::ProcessError>(())
    /// ```
    pub fn grace(mut self, grace: Duration) -> ProcessBuilder {
        self.spec.grace = grace;
        self
    }

    /// Ends it, and fails it as [`Silent`](ProcessErrorKind::Silent), when
    /// it writes nothing on stdout or stderr (piped ones) for `silence`.
    ///
    /// ```
    /// use more_threads::{Process, process::ProcessErrorKind};
    /// use std::time::Duration;
    ///
    /// let mut command = std::process::Command::new("sleep");
    /// command.arg("30");
    /// let error = Process::builder("mute", command)
    ///     .silence(Duration::from_millis(100))
    ///     .spawn()?
    ///     .join()
    ///     .unwrap_err();
    /// assert_eq!(error.kind(), ProcessErrorKind::Silent);
    /// # Ok::<(), more_threads::process::ProcessError>(())
    /// ```
    pub fn silence(mut self, silence: Duration) -> ProcessBuilder {
        self.spec.silence = Some(silence);
        self
    }

    /// Until its first output, `startup` is the silence allowed instead of
    /// [`silence`](ProcessBuilder::silence) (alone, it limits only the wait
    /// for the first output).
    ///
    /// ```
    /// use std::time::Duration;
    /// let mut command = std::process::Command::new("echo");
    /// command.arg("up");
    /// more_threads::Process::builder("quick", command)
    ///     .startup(Duration::from_secs(10))
    ///     .spawn()?
    ///     .join()?;
    /// # Ok::<(), more_threads::process::ProcessError>(())
    /// ```
    pub fn startup(mut self, startup: Duration) -> ProcessBuilder {
        self.spec.startup = Some(startup);
        self
    }

    /// Restarts it by `policy` when it fails (not when it succeeds, or was
    /// stopped): each restart is logged, and `dump()` counts them.
    ///
    /// ```
    /// use more_threads::{Process, thread::Restart};
    /// use std::time::Duration;
    ///
    /// let policy = Restart::on_failure()
    ///     .backoff(Duration::from_millis(1), Duration::from_millis(1))
    ///     .at_most(2, Duration::from_secs(60));
    /// let error = Process::builder("false", std::process::Command::new("false"))
    ///     .restart(policy)
    ///     .spawn()?
    ///     .join()
    ///     .unwrap_err(); // three runs, three failures: it gave up
    /// assert_eq!(error.code(), Some(1));
    /// # Ok::<(), more_threads::process::ProcessError>(())
    /// ```
    pub fn restart(mut self, policy: Restart) -> ProcessBuilder {
        self.restart = Some(policy);
        self
    }

    /// Starts it now, as a child of the current thread.
    ///
    /// # Errors
    ///
    /// As [`Process::run`].
    ///
    /// ```
    /// let p = more_threads::Process::builder("true", std::process::Command::new("true")).spawn()?;
    /// assert!(p.join()?.success());
    /// # Ok::<(), more_threads::process::ProcessError>(())
    /// ```
    #[track_caller]
    pub fn spawn(self) -> Result<Process, ProcessError> {
        let ProcessBuilder {
            name,
            mut spec,
            restart,
        } = self;
        let command_line = spec.command_line.clone();
        let queue_for = |output: Output, stream: &str| {
            (output == Output::Queue).then(|| Queue::new(format!("{name} {stream}")))
        };
        let shared = Arc::new(Shared {
            stdout: queue_for(spec.stdout, "stdout"),
            stderr: queue_for(spec.stderr, "stderr"),
            command_line: command_line.clone(),
            ..Shared::default()
        });
        let (started, first_start) = crossbeam_channel::bounded(1);
        let mut started = Some(started);
        let stdin_piped = spec.stdin == Input::Piped;
        let run = {
            let shared = shared.clone();
            move |_please_stop: &Signal| run_once(&mut spec, &shared, started.take())
        };
        let builder = Thread::builder(&name);
        let spawned = match restart {
            Some(policy) => builder.restart(policy).spawn(run),
            None => builder.spawn(run),
        };
        let thread =
            spawned.map_err(|error| ProcessError::from_thread(error, command_line.clone()))?;
        // The queues close when the node has ended, after the last run.
        let closer = {
            let shared = shared.clone();
            move || {
                for queue in [&shared.stdout, &shared.stderr].into_iter().flatten() {
                    queue.close();
                }
            }
        };
        thread.stopped().then(closer);
        match first_start.recv() {
            Ok(Ok(_pid)) => {
                // Once a process, for the console (nothing per line it
                // writes): listed while its handle or its node holds it.
                let _ = shared.path.set(thread.path().into());
                PROCESSES.register(Arc::<Shared>::downgrade(&shared));
                Ok(Process {
                    stdin: stdin_piped.then(|| ProcessStdin {
                        shared: shared.clone(),
                    }),
                    thread,
                    shared,
                    command_line,
                })
            }
            Ok(Err(error)) => {
                let (name, path) = (thread.name().into(), thread.path().into());
                let _ = thread.join();
                Err(
                    ProcessError::new(name, path, command_line, ProcessErrorKind::NotStarted)
                        .with_source(error),
                )
            }
            // The thread ended before it tried: its failure says why.
            Err(_) => {
                let (name, path) = (thread.name().into(), thread.path().into());
                match thread.join() {
                    Err(error) => Err(ProcessError::from_thread(error, command_line)),
                    Ok(_) => Err(ProcessError::new(
                        name,
                        path,
                        command_line,
                        ProcessErrorKind::Stopped,
                    )),
                }
            }
        }
    }
}

/// A child's stdin, as a writer; from [`Process::take_stdin`].
///
/// Writing to a process that has ended (or been restarted) is an error of
/// kind `BrokenPipe`; [`close`](ProcessStdin::close) sends end-of-file.
///
/// ```
/// use more_threads::{process::Input, Process};
/// let mut p = Process::builder("cat", std::process::Command::new("cat"))
///     .stdin(Input::Piped)
///     .spawn()?;
/// let stdin = p.take_stdin().unwrap();
/// stdin.close();
/// p.join()?;
/// # Ok::<(), more_threads::process::ProcessError>(())
/// ```
#[derive(Clone)]
pub struct ProcessStdin {
    shared: Arc<Shared>,
}

impl ProcessStdin {
    /// Closes the pipe: the process reads end-of-file.
    ///
    /// ```
    /// # use more_threads::{process::Input, Process};
    /// # let mut p = Process::builder("cat", std::process::Command::new("cat")).stdin(Input::Piped).spawn()?;
    /// p.take_stdin().unwrap().close();
    /// # p.join()?;
    /// # Ok::<(), more_threads::process::ProcessError>(())
    /// ```
    pub fn close(&self) {
        *self.shared.stdin.lock() = None;
    }
}

impl Write for ProcessStdin {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        match &mut *self.shared.stdin.lock() {
            Some(stdin) => stdin.write(bytes),
            None => Err(io::Error::new(
                io::ErrorKind::BrokenPipe,
                "the process's stdin is closed: it ended, or was closed",
            )),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut *self.shared.stdin.lock() {
            Some(stdin) => stdin.flush(),
            None => Ok(()),
        }
    }
}

impl fmt::Debug for ProcessStdin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProcessStdin")
            .field("open", &self.shared.stdin.lock().is_some())
            .finish()
    }
}

impl fmt::Debug for Process {
    /// `Process("main/server", pid 1234, "sleep 30")`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Process({:?}, pid {}, {:?})",
            self.thread.path(),
            self.pid(),
            self.command_line
        )
    }
}

impl fmt::Debug for ProcessBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProcessBuilder")
            .field("name", &self.name)
            .field("command", &self.spec.command_line)
            .field("grace", &self.spec.grace)
            .field("stdout", &self.spec.stdout)
            .field("stderr", &self.spec.stderr)
            .field("stdin", &self.spec.stdin)
            .field("silence", &self.spec.silence)
            .field("startup", &self.spec.startup)
            .field("restart", &self.restart)
            .finish()
    }
}

/// `program arg arg`, lossy, for messages and the dump.
fn command_line(command: &Command) -> Arc<str> {
    let mut line = command.get_program().to_string_lossy().into_owned();
    for argument in command.get_args() {
        line.push(' ');
        line.push_str(&argument.to_string_lossy());
    }
    line.into()
}
