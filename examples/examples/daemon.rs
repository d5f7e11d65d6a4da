//! A daemon: a repeating job on its own named thread, until SIGINT or
//! SIGTERM; then a clean exit.
//!
//! ```text
//! cargo run --example daemon -- [PERIOD_MS]
//! ```
//!
//! The `heartbeat` thread runs its job every PERIOD_MS (default 500),
//! scheduled by deadline, not by sleeping after the work, so it does not
//! drift. Main waits in `wait_for_shutdown_signal`; Ctrl-C (or `kill`) makes
//! every thread's `please_stop` go, and the process reports and exits 0.

use more_threads::prelude::*;
use more_threads::{main_thread::ShutdownSignals, wait_for_shutdown_signal};
use std::time::{Duration, Instant};

#[more_threads::main(shutdown_deadline = 5)]
fn main() -> Result<(), ThreadError> {
    let period = std::env::args()
        .nth(1)
        .and_then(|text| text.parse().ok())
        .map_or(Duration::from_millis(500), Duration::from_millis);
    let heartbeat = Thread::run("heartbeat", heartbeat(period))?;
    println!("daemon: running; send SIGINT or SIGTERM to stop");
    let cause = wait_for_shutdown_signal(ShutdownSignals::new());
    println!("daemon: woken by {cause:?}");
    let beats = heartbeat.join()?;
    println!("daemon: stopped cleanly after {beats} beats");
    Ok(())
}

/// Beats every `period` until asked to stop; returns how many beats.
#[worker]
fn heartbeat(period: Duration) -> u64 {
    let started = Instant::now();
    let mut beats = 0;
    let mut next = started + period;
    while !please_stop.is_go() {
        please_stop.wait_till(&Till::at(next));
        if please_stop.is_go() {
            break;
        }
        beats += 1;
        println!("heartbeat: beat {beats} at {:.0?}", started.elapsed());
        next += period; // by deadline: a slow beat does not push the next one back
    }
    beats
}
