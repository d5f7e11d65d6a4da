//! A request to stop the whole tree: [`stop_main`], and SIGINT and SIGTERM
//! (one request however many deliveries arrive together; a second request
//! exits at once), and SIGQUIT's thread dump.

use super::EXIT_INTERRUPTED;
use super::forced_exit::forced_exit_reports;
use super::shutdown;
use crate::signal::StopReason;
use crate::sync::real::thread;
use crate::thread::current::{self, root};
use signal_hook::consts::{SIGINT, SIGQUIT, SIGTERM};
use std::time::{Duration, Instant};

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
    root().stop_because(StopReason::StopMain);
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
        root().stop_because(StopReason::OsSignal { name });
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
pub(super) fn watch_signals(stop_on_interrupt: bool, dump_on_quit: bool) {
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
