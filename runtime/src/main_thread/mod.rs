//! The main thread as the root of the tree: [`Main`], [`stop_main`] and
//! [`wait_for_shutdown_signal`] at the crate's root, and here what they are
//! configured and answered with.

mod forced_exit;
mod outcome;
#[cfg(unix)]
mod service_manager;
mod shutdown;
mod stop_request;
mod test;
mod wait_for_shutdown;

pub(crate) use forced_exit::report_at_forced_exit;
pub use outcome::MainOutcome;
#[cfg(unix)]
pub use service_manager::ready;
pub use stop_request::stop_main;
pub use test::run_test;
pub use wait_for_shutdown::{ShutdownCause, ShutdownSignals, wait_for_shutdown_signal};

use crate::signal::Signal;
use crate::sync::Arc;
use crate::sync::real::{OnceLock, thread};
use crate::thread::current::{self, root};
use crate::thread::error::{Cause, ThreadError};
use crate::thread::node::{Node, log_unclaimed};
use shutdown::shutdown;
use std::process::ExitCode;
use std::time::{Duration, Instant};
use stop_request::watch_signals;

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
    #[cfg_attr(not(unix), allow(dead_code))]
    ready_on_start: bool,
    console: bool,
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
            ready_on_start: true,
            console: console_from_env(),
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

    /// Whether to serve the [live console](crate::console) on a Unix socket
    /// only this user can open (default: no, unless `MORE_THREADS_CONSOLE=1`).
    /// Its path is logged at start; the server is the thread `main/console`.
    ///
    /// ```
    /// let main = more_threads::Main::new().console(true);
    /// ```
    pub fn console(mut self, serve: bool) -> Main {
        self.console = serve;
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

    /// Whether to tell systemd `READY=1` right after main's body starts
    /// (default: yes), when `NOTIFY_SOCKET` is set (a unit of
    /// `Type=notify`). A program with a start-up to finish first says `false`
    /// and calls [`main_thread::ready`](crate::main_thread::ready) when done.
    /// Under systemd, Main also keeps STATUS= up to date, pings the watchdog
    /// while [`health()`](crate::health::health) is good, and says STOPPING=1
    /// and EXTEND_TIMEOUT_USEC= at the shutdown (see
    /// [`main_thread::ready`](crate::main_thread::ready)).
    ///
    /// ```
    /// let main = more_threads::Main::new().ready_on_start(false);
    /// ```
    pub fn ready_on_start(mut self, ready: bool) -> Main {
        self.ready_on_start = ready;
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
        self.set_up();
        let root = root();
        let _entered = current::enter(root.clone());
        #[cfg(unix)]
        if self.console {
            crate::console::start();
        }
        let deadline = self.watch_the_deadline(root);
        #[cfg(unix)]
        service_manager::start(self.ready_on_start, self.deadline);
        let outcome = match crate::panic::catch(|| body(&root.please_stop)) {
            Ok(outcome) => outcome.into_exit_code().map_err(Cause::Failed),
            Err(caught) => Err(Cause::Panicked(caught.into())),
        };
        deadline.body_returned.go();
        let ended = shutdown(
            self.deadline,
            deadline.asked_at.get().copied(),
            &self.profile,
        );
        let mut failed = false;
        let code = match outcome {
            Ok(code) => code,
            Err(cause) => {
                report(&ThreadError::new(
                    root.name.clone(),
                    root.path.clone(),
                    cause,
                ));
                failed = true;
                ExitCode::FAILURE
            }
        };
        for failure in &ended.failures {
            report(failure);
            failed = true;
        }
        if !ended.stuck.is_empty() {
            deadline.verdict.exit_stuck(self.deadline, &ended.stuck);
        }
        // The watch may have found main's body still running at the
        // deadline, as it returned: its report and exit stand.
        deadline.verdict.exit_clean();
        if failed { ExitCode::FAILURE } else { code }
    }

    /// What is in place before main's body runs: the logger, the profile,
    /// the OS signals' watcher.
    fn set_up(&self) {
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
        if self.signals || self.dump_on_sigquit {
            watch_signals(self.signals, self.dump_on_sigquit);
        }
    }

    /// The shutdown deadline counts from the moment main's `please_stop`
    /// goes, if it goes while the body runs, and is kept from then,
    /// wherever main's body is (blocked in a scope, a join, on a Lock), by a
    /// watch that ends when the body returns.
    fn watch_the_deadline(&self, root: &Node) -> DeadlineKept {
        let kept = DeadlineKept {
            asked_at: Arc::new(OnceLock::new()),
            body_returned: Signal::named("main's body returned"),
            verdict: shutdown::Verdict::new(),
        };
        let asked_at = kept.asked_at.clone();
        let watch = shutdown::DeadlineWatch {
            deadline: self.deadline,
            body_returned: kept.body_returned.clone(),
            verdict: kept.verdict.clone(),
            profile: self.profile.clone(),
        };
        root.please_stop.then(move || {
            let at = Instant::now();
            let _ = asked_at.set(at);
            watch.start(at);
        });
        kept
    }
}

/// `MORE_THREADS_CONSOLE=1` asks for the console (where it can be served).
fn console_from_env() -> bool {
    #[cfg(unix)]
    return crate::console::wanted_from_env();
    #[cfg(not(unix))]
    false
}

/// What [`Main::run`] keeps of the deadline's watch: when the stop was
/// asked, the Signal that tells the watch the body returned, and the
/// verdict the watch and the shutdown share.
struct DeadlineKept {
    asked_at: Arc<OnceLock<Instant>>,
    body_returned: Signal,
    verdict: shutdown::Verdict,
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
