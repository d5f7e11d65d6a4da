//! The main thread as the root of the tree: [`Main`], [`stop_main`] and
//! [`wait_for_shutdown_signal`] at the crate's root, and here what they are
//! configured and answered with.

mod shutdown;
mod test;

pub use test::run_test;

use crate::signal::Signal;
use crate::signal::Stopped;
use crate::sync::Arc;
use crate::sync::real::{OnceLock, thread};
use crate::thread::BoxError;
use crate::thread::current::{self, root};
use crate::thread::error::{Cause, ThreadError};
use crate::thread::node::{Kind, log_unclaimed};
use shutdown::shutdown;
use signal_hook::consts::{SIGINT, SIGQUIT, SIGTERM};
use std::io::BufRead;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// The exit code when threads were still alive at the shutdown deadline.
///
/// Both exit codes are `u8`, as `ExitCode::from` takes them.
///
/// ```
/// assert_eq!(std::process::ExitCode::from(more_threads::main_thread::EXIT_STUCK), std::process::ExitCode::from(2));
/// ```
pub const EXIT_STUCK: u8 = 2;
/// The exit code when a second SIGINT or SIGTERM cut a shutdown short
/// (128 + SIGINT, as shells report it).
///
/// ```
/// assert_eq!(i32::from(more_threads::main_thread::EXIT_INTERRUPTED), 130);
/// ```
pub const EXIT_INTERRUPTED: u8 = 130;

/// Runs the process's main thread as the root of the tree: with SIGINT and
/// SIGTERM making main's `please_stop` go, and the orderly shutdown when the
/// body returns or panics.
///
/// `#[more_threads::main]` is spelled over this; use it directly from a plain
/// `fn main`:
///
/// ```no_run
/// use more_threads::{Main, Thread};
/// use std::process::ExitCode;
/// use std::time::Duration;
///
/// fn main() -> ExitCode {
///     Main::new()
///         .shutdown_deadline(Duration::from_secs(10))
///         .run(|please_stop| {
///             let server = Thread::run("server", |please_stop| please_stop.wait())?;
///             please_stop.wait(); // until Ctrl-C
///             server.join()
///         })
/// }
/// ```
///
/// # The shutdown, in order
///
/// main's `please_stop` goes → main's children are asked to stop, youngest
/// first → they are joined → registered alien threads are waited for →
/// every pending `Till` goes → the central logger writes what is left and
/// stops, last. The deadline (5 s unless set) counts from the moment main's
/// `please_stop` goes, wherever main's body is then: threads still alive at
/// it, main's body included if it has not returned (blocked in a `scope!`,
/// a join, on a Lock), are reported by path and by what they are blocked
/// on, after every earlier log line, and the process exits with
/// [`EXIT_STUCK`]. A second SIGINT or
/// SIGTERM exits at once with [`EXIT_INTERRUPTED`].
///
/// # Exit code
///
/// Success when the body returned a success and no child failed unclaimed;
/// failure (1) when the body returned an `Err` or panicked, or a child's
/// failure reached main unjoined. Each failure is printed to stderr and logged.
#[derive(Debug, Clone)]
#[must_use = "Main does nothing until run()"]
pub struct Main {
    deadline: Duration,
    signals: bool,
    dump_on_sigquit: bool,
    logger: bool,
    log_config: Option<crate::logging::Config>,
    profile: crate::profile::AtExit,
}

impl Default for Main {
    fn default() -> Main {
        Main::new()
    }
}

impl Main {
    /// The defaults: a 5 s shutdown deadline, SIGINT/SIGTERM handled, and
    /// the central logger ([`log::Config::from_env`](crate::logging::Config::from_env))
    /// unless the program installed a logger of its own.
    ///
    /// ```
    /// let main = more_threads::Main::new();
    /// ```
    pub fn new() -> Main {
        Main {
            deadline: Duration::from_secs(5),
            signals: true,
            dump_on_sigquit: false,
            logger: true,
            log_config: None,
            profile: crate::profile::AtExit::from_env(),
        }
    }

    /// How long the shutdown waits for threads to stop before reporting them,
    /// counted from the moment main's `please_stop` went (a SIGINT or
    /// SIGTERM: as a supervisor counts its stop timeout), or from the
    /// body's return if nothing asked it to stop before. `Duration::MAX`
    /// (or any deadline too far to be an instant) waits for ever.
    ///
    /// ```
    /// let main = more_threads::Main::new().shutdown_deadline(std::time::Duration::from_secs(30));
    /// ```
    pub fn shutdown_deadline(mut self, deadline: Duration) -> Main {
        self.deadline = deadline;
        self
    }

    /// Whether SIGINT and SIGTERM make main's `please_stop` go (default: yes).
    ///
    /// ```
    /// let main = more_threads::Main::new().handle_signals(false);
    /// ```
    pub fn handle_signals(mut self, handle: bool) -> Main {
        self.signals = handle;
        self
    }

    /// Whether SIGQUIT (Ctrl-\\) prints the thread dump to stderr instead of
    /// ending the process (default: no).
    ///
    /// ```
    /// let main = more_threads::Main::new().dump_on_sigquit(true);
    /// ```
    pub fn dump_on_sigquit(mut self, enabled: bool) -> Main {
        self.dump_on_sigquit = enabled;
        self
    }

    /// Whether to install the central logger ([`more_threads::logging`](crate::logging))
    /// when the program has installed none (default: yes). It writes to
    /// stderr, filtered by `RUST_LOG`, unless [`log_config`](Main::log_config)
    /// says otherwise; a program's own logger is always kept.
    ///
    /// ```
    /// let main = more_threads::Main::new().logger(false);
    /// ```
    pub fn logger(mut self, install: bool) -> Main {
        self.logger = install;
        self
    }

    /// Profiles every thread from the start ([`more_threads::profile`](crate::profile)),
    /// and writes the table to `path` when main stops (`-` for stderr).
    /// `MORE_THREADS_PROFILE=path` does the same.
    ///
    /// ```
    /// let main = more_threads::Main::new().profile("-");
    /// ```
    pub fn profile(mut self, path: impl Into<std::path::PathBuf>) -> Main {
        self.profile.table = Some(path.into());
        self
    }

    /// Profiles every thread from the start, and writes the timeline to
    /// `path` when main stops, as Chrome trace-event JSON (open it in
    /// <https://ui.perfetto.dev> or `chrome://tracing`).
    /// `MORE_THREADS_TRACE=path` does the same.
    ///
    /// ```
    /// let main = more_threads::Main::new().trace("/tmp/timeline.json");
    /// ```
    pub fn trace(mut self, path: impl Into<std::path::PathBuf>) -> Main {
        self.profile.trace = Some(path.into());
        self
    }

    /// How the central logger is set up, instead of
    /// [`Config::from_env`](crate::logging::Config::from_env): its filter,
    /// format, output.
    ///
    /// ```
    /// use more_threads::logging::{Config, Format};
    ///
    /// let main = more_threads::Main::new().log_config(Config::from_env().format(Format::Json));
    /// ```
    pub fn log_config(mut self, config: crate::logging::Config) -> Main {
        self.log_config = Some(config);
        self
    }

    /// Runs `body` as the root of the thread tree, then the orderly shutdown;
    /// returns the process's exit code.
    ///
    /// # Panics
    ///
    /// When called from a thread other than the process's main thread
    /// (documented misuse: the root of the tree is the main thread).
    ///
    /// ```no_run
    /// fn main() -> std::process::ExitCode {
    ///     more_threads::Main::new().run(|please_stop| {
    ///         println!("working until Ctrl-C");
    ///         please_stop.wait();
    ///     })
    /// }
    /// ```
    pub fn run<R: MainOutcome>(self, body: impl FnOnce(&Signal) -> R) -> ExitCode {
        assert_eq!(
            thread::current().name(),
            Some("main"),
            "more_threads::Main::run must be called on the process's main thread"
        );
        if self.logger {
            install_logger(
                self.log_config
                    .clone()
                    .unwrap_or_else(crate::logging::Config::from_env),
            );
        }
        if self.profile.wanted() {
            crate::profile::enable();
        }
        let root = root();
        if self.signals || self.dump_on_sigquit {
            watch_signals(self.signals, self.dump_on_sigquit);
        }
        let _entered = current::enter(root.clone());
        // The shutdown deadline counts from here, if the stop comes first;
        // and is kept from here, wherever main's body is then (blocked in a
        // scope, a join, on a Lock), by a watch that ends with the body.
        let asked_at = Arc::new(OnceLock::new());
        let body_returned = Signal::named("main's body returned");
        let verdict = shutdown::Verdict::new();
        {
            let asked_at = asked_at.clone();
            let watch = shutdown::DeadlineWatch {
                deadline: self.deadline,
                body_returned: body_returned.clone(),
                verdict: verdict.clone(),
                profile: self.profile.clone(),
            };
            root.please_stop.then(move || {
                let at = Instant::now();
                let _ = asked_at.set(at);
                watch.start(at);
            });
        }
        let outcome = match crate::panic::catch(|| body(&root.please_stop)) {
            Ok(outcome) => outcome.into_exit_code().map_err(Cause::Failed),
            Err(caught) => Err(Cause::Panicked(caught.into())),
        };
        body_returned.go();
        let ended = shutdown(self.deadline, asked_at.get().copied(), &self.profile);
        let mut failed = false;
        let mut code = ExitCode::SUCCESS;
        match outcome {
            Ok(returned) => code = returned,
            Err(cause) => {
                report(&ThreadError::new(
                    root.name.clone(),
                    root.path.clone(),
                    cause,
                ));
                failed = true;
            }
        }
        for failure in &ended.failures {
            report(failure);
            failed = true;
        }
        if !ended.stuck.is_empty() {
            verdict.exit_stuck(self.deadline, &ended.stuck);
        }
        // The watch may have found main's body still running at the
        // deadline, as it returned: its report and exit stand.
        verdict.exit_clean();
        if failed { ExitCode::FAILURE } else { code }
    }
}

/// What the body of [`Main::run`] may return, as `fn main` may: `()`, an
/// [`ExitCode`], or a `Result` whose `Err` (anything `Display`, e.g.
/// `Box<dyn Error>`, `anyhow::Error`, [`ThreadError`]) is reported and makes
/// the exit code 1.
///
/// The error keeps its causes: a [`BoxError`] or a [`ThreadError`] is
/// handed on as it is, its `source()` chain intact; a `Box<dyn Error>`
/// (which cannot cross threads) as the text of its whole chain; anything
/// else as its `{:#}` text (which for `anyhow::Error` is its chain).
///
/// ```
/// use more_threads::main_thread::MainOutcome;
/// use std::process::ExitCode;
///
/// assert!(().into_exit_code().is_ok());
/// assert!(Err::<(), _>("no config").into_exit_code().is_err());
/// assert_eq!(Ok::<_, String>(ExitCode::from(3)).into_exit_code().unwrap(), ExitCode::from(3));
///
/// let why = std::io::Error::other("disk full");
/// let error = Err::<(), more_threads::BoxError>(why.into()).into_exit_code().unwrap_err();
/// assert!(error.downcast_ref::<std::io::Error>().is_some(), "the error itself, not its text");
/// ```
pub trait MainOutcome {
    /// The exit code, or the error that made it a failure.
    ///
    /// # Errors
    ///
    /// The body's error, with its causes.
    fn into_exit_code(self) -> Result<ExitCode, BoxError>;
}

impl MainOutcome for () {
    fn into_exit_code(self) -> Result<ExitCode, BoxError> {
        Ok(ExitCode::SUCCESS)
    }
}

impl MainOutcome for ExitCode {
    fn into_exit_code(self) -> Result<ExitCode, BoxError> {
        Ok(self)
    }
}

/// An `Err` that only says main was asked to stop (`please_stop.check()?`,
/// or a join of a child that stopped quietly) is no failure: exit code 0.
impl<T: MainOutcome, E: std::fmt::Display + 'static> MainOutcome for Result<T, E> {
    fn into_exit_code(self) -> Result<ExitCode, BoxError> {
        match self {
            Ok(value) => value.into_exit_code(),
            Err(error) if says_stopped(&error) => {
                report!(Debug, "more_threads::thread", about: ("main", "main"), "main stopped quietly: {error}");
                Ok(ExitCode::SUCCESS)
            }
            Err(error) => Err(with_its_causes(error)),
        }
    }
}

/// `error` as a [`BoxError`] that keeps its causes (see [`MainOutcome`]).
fn with_its_causes<E: std::fmt::Display + 'static>(error: E) -> BoxError {
    use std::any::Any;
    let seen: &dyn Any = &error;
    if seen.is::<BoxError>() || seen.is::<ThreadError>() {
        let boxed: Box<dyn Any> = Box::new(error);
        return match boxed.downcast::<BoxError>() {
            Ok(error) => *error,
            Err(boxed) => match boxed.downcast::<ThreadError>() {
                Ok(error) => error,
                Err(_) => unreachable!("it is one of the two, as `is` said"),
            },
        };
    }
    let text = match seen.downcast_ref::<Box<dyn std::error::Error>>() {
        Some(error) => crate::error_chain::with_sources(&**error),
        None => format!("{error:#}"),
    };
    text.into()
}

/// Whether an error of any type is a quiet stop: a [`Stopped`], a stopped
/// [`ThreadError`], or a box of an error that says so.
fn says_stopped(error: &dyn std::any::Any) -> bool {
    use std::error::Error;
    if let Some(error) = error.downcast_ref::<Stopped>() {
        return Stopped::is_in(error);
    }
    if let Some(error) = error.downcast_ref::<ThreadError>() {
        return Stopped::is_in(error);
    }
    if let Some(error) = error.downcast_ref::<Box<dyn Error + Send + Sync>>() {
        return Stopped::is_in(&**error);
    }
    if let Some(error) = error.downcast_ref::<Box<dyn Error>>() {
        return Stopped::is_in(&**error);
    }
    false
}

/// Installs the central logger, unless the program has a logger of its
/// own; one that cannot be made as asked (a file that does not open) is
/// made on stderr instead, and says why.
fn install_logger(config: crate::logging::Config) {
    use crate::logging::LogErrorKind;
    match config.install() {
        Ok(()) => {}
        Err(error) if error.kind() == LogErrorKind::AlreadyInstalled => {}
        Err(error) => {
            let fallback = crate::logging::Config::new().install();
            report!(
                Error,
                "more_threads::logging",
                "{error:#}: logging to stderr instead"
            );
            if fallback.is_err() {
                eprintln!("more-threads: {error:#}");
            }
        }
    }
}

fn report(failure: &ThreadError) {
    log_unclaimed(failure);
    if !log::log_enabled!(target: "more_threads::thread", log::Level::Error) {
        eprintln!("error: {failure:#}");
    }
}

/// Asks the whole tree to stop, as SIGINT does: main's `please_stop` goes,
/// then every thread's, youngest first. Does not wait.
///
/// ```
/// let worker = more_threads::Thread::run("w", |please_stop| please_stop.wait()).unwrap();
/// more_threads::Thread::current(); // this doctest's main thread is the root
/// # worker.stop();
/// worker.join().unwrap();
/// ```
pub fn stop_main() {
    root().stop();
}

/// How close together deliveries of SIGINT or SIGTERM are one request.
///
/// coreutils' `timeout -s INT` signals the process and then its process
/// group, so the process gets SIGINT twice: such deliveries come
/// microseconds apart (a loaded machine may delay their reading by a few
/// scheduler periods, a few tens of milliseconds). A person cannot press Ctrl-C twice inside
/// 100 ms: the fastest finger tapping is 5 to 7 taps a second, 140 ms and
/// more apart, and a second Ctrl-C is a chord pressed again. So deliveries
/// less than this apart (each from the one before) are one request; one
/// after it is someone asking again.
const ONE_REQUEST: Duration = Duration::from_millis(100);

/// The first SIGINT or SIGTERM: stops the tree, on a thread of its own, so
/// that the watcher reads the next delivery as it comes (the stop's
/// callbacks may take their time, and a delivery read late would look like
/// a second request).
fn stop_on_request(name: &'static str) {
    let stop = move || {
        report!(
            Warn,
            "more_threads::thread",
            about: ("main", "main"),
            "{name} received: stopping every thread (send it again to exit at once)"
        );
        // The callbacks on main's please_stop run here, for main: a thread
        // they start is main's child, waited for by the shutdown, its
        // failure main's.
        let _delivering = shutdown::DELIVERING_STOP.lock();
        let _for_main = current::act_for(root().clone());
        root().stop();
    };
    let stopping = thread::Builder::new()
        .name("signal-stop".to_owned())
        .spawn(stop);
    if stopping.is_err() {
        stop();
    }
}

/// Makes SIGINT and SIGTERM stop the tree (a second request exits at once),
/// and SIGQUIT print the thread dump, as asked.
fn watch_signals(stop_on_interrupt: bool, dump_on_quit: bool) {
    let mut wanted = Vec::new();
    if stop_on_interrupt {
        wanted.extend([SIGINT, SIGTERM]);
    }
    if dump_on_quit {
        wanted.push(SIGQUIT);
    }
    let mut signals = match signal_hook::iterator::Signals::new(&wanted) {
        Ok(signals) => signals,
        Err(error) => {
            report!(
                Error,
                "more_threads::thread",
                "cannot handle signals {wanted:?}: {error}"
            );
            return;
        }
    };
    let watcher = thread::Builder::new()
        .name("signal-watcher".to_owned())
        .spawn(move || {
            // When the last SIGINT or SIGTERM of the current request came.
            let mut asked_at: Option<Instant> = None;
            for signal in signals.forever() {
                let now = Instant::now();
                if signal == SIGQUIT {
                    eprint!("{}", crate::thread::dump::dump());
                    continue;
                }
                let name = if signal == SIGINT {
                    "SIGINT"
                } else {
                    "SIGTERM"
                };
                match asked_at {
                    None => {
                        asked_at = Some(now);
                        stop_on_request(name);
                    }
                    // Deliveries that come together are one request (see
                    // ONE_REQUEST): no person asked again.
                    Some(last) if now.duration_since(last) < ONE_REQUEST => {
                        asked_at = Some(now);
                    }
                    Some(_) => {
                        eprintln!("more-threads: second {name}: exiting at once");
                        for running in shutdown::still_alive() {
                            eprintln!(
                                "more-threads: forced exit: thread {running} was still running"
                            );
                        }
                        forced_exit_reports();
                        crate::logging::forced_exit();
                        std::process::exit(EXIT_INTERRUPTED.into());
                    }
                }
            }
        });
    if let Err(error) = watcher {
        report!(
            Error,
            "more_threads::thread",
            "cannot start the signal watcher: {error}"
        );
    }
}

/// What a forced exit says besides the log: each holder of items not yet
/// written (a `BatchQueue`) gives its line, if it has one to give.
pub(crate) type Holding = dyn Fn() -> Option<String> + Send + Sync;

static HOLDING: crate::sync::real::Mutex<Vec<crate::sync::Weak<Holding>>> =
    crate::sync::real::Mutex::new(Vec::new());

/// Adds `holding` to what a forced exit asks, for as long as it lives.
pub(crate) fn report_at_forced_exit(holding: &crate::sync::Arc<Holding>) {
    let mut all = HOLDING.lock();
    all.retain(|holding| holding.strong_count() > 0);
    all.push(crate::sync::Arc::downgrade(holding));
}

/// Says, on stderr, what every live holder still holds.
fn forced_exit_reports() {
    let holders: Vec<_> = HOLDING
        .lock()
        .iter()
        .filter_map(crate::sync::Weak::upgrade)
        .collect();
    for holder in holders {
        if let Some(line) = holder() {
            eprintln!("more-threads: forced exit: {line}");
        }
    }
}

/// What ended [`wait_for_shutdown_signal`].
///
/// ```
/// use more_threads::{main_thread::ShutdownCause, main_thread::ShutdownSignals, Signal, wait_for_shutdown_signal};
///
/// let ready = Signal::new();
/// ready.go();
/// let cause = wait_for_shutdown_signal(ShutdownSignals::new().or(&ready));
/// assert_eq!(cause, ShutdownCause::Signal);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ShutdownCause {
    /// main's `please_stop` went: SIGINT, SIGTERM or [`stop_main`].
    PleaseStop,
    /// The extra Signal given with [`ShutdownSignals::or`] went.
    Signal,
    /// `exit` was typed on stdin.
    StdinExit,
    /// main has no running children left.
    ChildrenDone,
}

/// What [`wait_for_shutdown_signal`] waits for besides main's `please_stop`.
///
/// ```
/// use more_threads::{main_thread::ShutdownSignals, Signal};
///
/// let ready = Signal::new();
/// let options = ShutdownSignals::new().or(&ready).stdin_exit(false).children_done(true);
/// ```
#[derive(Debug, Clone, Default)]
#[must_use = "pass it to wait_for_shutdown_signal"]
pub struct ShutdownSignals {
    also: Option<Signal>,
    stdin_exit: bool,
    children_done: bool,
}

impl ShutdownSignals {
    /// Only main's `please_stop` (SIGINT, SIGTERM, [`stop_main`]).
    ///
    /// ```
    /// let options = more_threads::main_thread::ShutdownSignals::new();
    /// ```
    pub fn new() -> ShutdownSignals {
        ShutdownSignals::default()
    }

    /// Also end when `signal` goes.
    ///
    /// ```
    /// let options = more_threads::main_thread::ShutdownSignals::new().or(&more_threads::Till::seconds(60.0));
    /// ```
    pub fn or(mut self, signal: &Signal) -> ShutdownSignals {
        self.also = Some(match self.also {
            Some(also) => also.or(signal),
            None => signal.clone(),
        });
        self
    }

    /// Also end when a line reading `exit` arrives on stdin (opt-in).
    ///
    /// ```
    /// let options = more_threads::main_thread::ShutdownSignals::new().stdin_exit(true);
    /// ```
    pub fn stdin_exit(mut self, enabled: bool) -> ShutdownSignals {
        self.stdin_exit = enabled;
        self
    }

    /// Also end when main has no running children left (opt-in).
    ///
    /// ```
    /// let options = more_threads::main_thread::ShutdownSignals::new().children_done(true);
    /// ```
    pub fn children_done(mut self, enabled: bool) -> ShutdownSignals {
        self.children_done = enabled;
        self
    }
}

/// Blocks until main's `please_stop` goes (SIGINT, SIGTERM, [`stop_main`]) or
/// one of the opt-in `options` happens; says which.
///
/// ```
/// use more_threads::{main_thread::ShutdownCause, main_thread::ShutdownSignals, Thread, Till, wait_for_shutdown_signal};
///
/// let job = Thread::run("job", |_| Till::seconds(0.01).wait())?;
/// let cause = wait_for_shutdown_signal(ShutdownSignals::new().children_done(true));
/// assert_eq!(cause, ShutdownCause::ChildrenDone);
/// job.join()?;
/// # Ok::<(), more_threads::ThreadError>(())
/// ```
pub fn wait_for_shutdown_signal(options: ShutdownSignals) -> ShutdownCause {
    let root = root();
    let mut ended = root.please_stop.clone();
    if let Some(also) = &options.also {
        ended = ended.or(also);
    }
    let stdin_exit = options.stdin_exit.then(watch_stdin);
    if let Some(exit) = &stdin_exit {
        ended = ended.or(exit);
    }
    loop {
        let running: Vec<Signal> = if options.children_done {
            root.children()
                .iter()
                .filter(|child| child.kind != Kind::Unregistered && !child.stopped.is_go())
                .map(|child| child.stopped.clone())
                .collect()
        } else {
            Vec::new()
        };
        if options.children_done && running.is_empty() {
            return ShutdownCause::ChildrenDone;
        }
        let mut wake = ended.clone();
        if let Some(first) = running.first() {
            wake = wake.or(first);
        }
        wake.wait();
        if root.please_stop.is_go() {
            return ShutdownCause::PleaseStop;
        }
        if options.also.as_ref().is_some_and(Signal::is_go) {
            return ShutdownCause::Signal;
        }
        if stdin_exit.as_ref().is_some_and(Signal::is_go) {
            return ShutdownCause::StdinExit;
        }
    }
}

/// A Signal that goes when a line reading `exit` arrives on stdin (or stdin ends).
fn watch_stdin() -> Signal {
    let exit = Signal::named("exit on stdin");
    let went = exit.clone();
    let reader = thread::Builder::new()
        .name("stdin-exit".to_owned())
        .spawn(move || {
            for line in std::io::stdin().lock().lines() {
                match line {
                    Ok(line) if line.trim() == "exit" => break,
                    Ok(_) => {}
                    Err(_) => return,
                }
            }
            went.go();
        });
    if let Err(error) = reader {
        report!(
            Error,
            "more_threads::thread",
            "cannot watch stdin for `exit`: {error}"
        );
    }
    exit
}
