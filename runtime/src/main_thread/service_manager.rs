//! Speaking to systemd (`sd_notify(3)`), when it is listening: only when
//! `NOTIFY_SOCKET` is set, as it is for a unit of `Type=notify`.
//!
//! What is said, and when: see [`ready`].
//!
//! The pinger is a thread of the tree, `main/service-manager`: it shows in
//! [`dump()`](crate::dump), and ends when it is the last of main's threads.

use crate::signal::Signal;
use crate::sync::real::AtomicBool;
use crate::sync::real::Ordering;
use crate::thread::Thread;
use crate::till::Till;
use sd_notify::NotifyState;
use std::time::{Duration, Instant};

/// How often STATUS is brought up to date when there is no watchdog, and
/// the tick of the shutdown's EXTEND_TIMEOUT_USEC.
const TICK: Duration = Duration::from_secs(1);

/// How often the shutdown's pinger counts the threads left.
const LOOK: Duration = Duration::from_millis(20);

/// Whether READY=1 was sent (it is sent once).
static READY: AtomicBool = AtomicBool::new(false);

/// Whether a service manager listens: `NOTIFY_SOCKET` is set.
fn listening() -> bool {
    std::env::var_os("NOTIFY_SOCKET").is_some_and(|socket| !socket.is_empty())
}

fn send(states: &[NotifyState<'_>]) {
    if let Err(error) = sd_notify::notify(states) {
        report!(
            Warn,
            "more_threads::main_thread",
            "cannot notify the service manager: {error}"
        );
    }
}

/// Tells the service manager the program is ready (`READY=1`), once: its
/// start-up is over, and `systemctl start` returns. Does nothing unless
/// `NOTIFY_SOCKET` is set, nor the second time.
///
/// What [`Main`](crate::Main) tells systemd, when `NOTIFY_SOCKET` is set
/// (and only then):
///
/// * `READY=1` when the program calls this, or, unless
///   [`Main::ready_on_start`](crate::Main::ready_on_start) says otherwise,
///   right after main's body starts;
/// * `STATUS=` a one-line summary (`4 threads, good`, or the first thing
///   [`health()`](crate::health::health) finds wrong), when it changes;
/// * `WATCHDOG=1` every half of `WATCHDOG_USEC` (systemd's `WatchdogSec=`),
///   **only while [`health()`](crate::health::health) is good**: a deadlock
///   or a thread stuck past its budget stops the pings, so that systemd
///   kills and restarts the service (`Restart=on-failure`) one
///   `WatchdogSec=` after the last ping;
/// * `STOPPING=1` when main's `please_stop` goes (SIGTERM, or main's body
///   returned);
/// * then, each second in which threads still ended,
///   `EXTEND_TIMEOUT_USEC=` two seconds more, never past main's own
///   [shutdown deadline](crate::Main::shutdown_deadline).
///
/// The pinger is a thread of the tree, `main/service-manager`, so it shows
/// in [`dump()`](crate::dump); it ends when it is the last of main's threads.
///
/// [`Main`](crate::Main) sends it itself right after main's body starts,
/// unless told [`ready_on_start(false)`](crate::Main::ready_on_start): a
/// program with a start-up to finish first (a port to bind, a cache to
/// load) says so, and calls this when it is done.
///
/// ```
/// more_threads::main_thread::ready(); // nothing here: no NOTIFY_SOCKET
/// ```
pub fn ready() {
    if listening() && !READY.swap(true, Ordering::Relaxed) {
        send(&[NotifyState::Ready]);
    }
}

/// The line STATUS= says: the threads alive, and the first thing wrong.
fn status(verdict: &crate::health::Health) -> String {
    let threads = verdict.threads();
    let s = if threads == 1 { "" } else { "s" };
    match verdict.reasons() {
        [] => format!("{threads} thread{s}, good"),
        [reason] => format!("{threads} thread{s}, {reason}"),
        [reason, more @ ..] => format!("{threads} thread{s}, {reason} (and {} more)", more.len()),
    }
}

/// Starts the pinger under main, if a service manager listens; sends
/// READY=1 too when `ready_on_start`.
pub(super) fn start(ready_on_start: bool, shutdown_deadline: Duration) {
    if !listening() {
        return;
    }
    let watchdog = sd_notify::watchdog_enabled().map(|usec| usec / 2);
    let started = Thread::builder("service-manager")
        .stack_size(128 * 1024)
        .spawn(move |please_stop: &Signal| {
            serve(please_stop, watchdog, shutdown_deadline);
        });
    match started {
        Ok(pinger) => pinger.release(),
        Err(error) => report!(
            Error,
            "more_threads::main_thread",
            "cannot start the service manager's pinger: {error:#}"
        ),
    }
    if ready_on_start {
        ready();
    }
}

/// The pinger's body: STATUS and WATCHDOG until main's please_stop, then
/// STOPPING and EXTEND_TIMEOUT_USEC while the shutdown makes progress.
fn serve(please_stop: &Signal, watchdog: Option<Duration>, shutdown_deadline: Duration) {
    let tick = watchdog.unwrap_or(TICK).max(Duration::from_millis(1));
    let mut said = String::new();
    let mut next = Instant::now();
    // STATUS is said once at least, even by a pinger that starts as main
    // stops.
    loop {
        let verdict = crate::health::health();
        let line = status(&verdict);
        let watchdog_due = watchdog.is_some() && verdict.is_good();
        let mut states = Vec::new();
        if line != said {
            states.push(NotifyState::Status(&line));
        }
        if watchdog_due {
            states.push(NotifyState::Watchdog);
        }
        if !states.is_empty() {
            send(&states);
        }
        said = line;
        next += tick;
        let now = Instant::now();
        if next < now {
            next = now; // behind (a suspended machine): not a burst of pings
        }
        (please_stop | Till::at(next)).wait();
        if please_stop.is_go() {
            break;
        }
    }
    let give_up_at = Instant::now().checked_add(shutdown_deadline);
    send(&[NotifyState::Stopping]);
    // Main and this pinger are the two threads that stay to the end. The
    // count is looked at often, so that the pinger ends (and the shutdown
    // with it) as soon as the rest have; more time is asked for at most
    // once a TICK, and only when threads ended since the last time.
    let others = || crate::health::health().threads().saturating_sub(2);
    let mut at_last_ask = others();
    let mut asked_at = Instant::now();
    loop {
        let still = others();
        if still == 0 {
            return;
        }
        let now = Instant::now();
        let left = give_up_at.map_or(Duration::MAX, |at| at.saturating_duration_since(now));
        if left.is_zero() {
            return; // the shutdown reports who is left
        }
        if now.duration_since(asked_at) >= TICK {
            if still < at_last_ask {
                let more = (TICK * 2).min(left);
                let usec = u32::try_from(more.as_micros()).unwrap_or(u32::MAX);
                send(&[NotifyState::ExtendTimeoutUsec(usec)]);
            }
            at_last_ask = still;
            asked_at = now;
        }
        Till::after(LOOK.min(left)).wait();
    }
}
