//! First success wins: fetch the same file from three mirrors at once, keep
//! the first answer, and stop the others, each told why.
//!
//! ```text
//! cargo run --example mirrors -- [--down MIRROR] [--deadline MS]
//! ```
//!
//! Each mirror is a thread that "downloads" for its latency (a Till stands
//! for the network) unless asked to stop first. The scope is a race
//! (`ScopeBuilder::first_success`): the first mirror to return `Ok` is its
//! value, and the others get `please_stop` with the reason "main/us
//! succeeded first", which they print. A mirror that fails (`--down us`)
//! stops nobody: another may still answer. With `--deadline MS` the race
//! has a deadline: when it passes first, the run fails with an error that
//! says what each mirror was still doing.

use more_threads::prelude::*;
use more_threads::thread::ScopeBuilder;
use std::time::{Duration, Instant};

/// Each mirror and how long it takes to answer: far apart, so that the
/// fastest wins even on a loaded machine.
const MIRRORS: [(&str, u64); 3] = [("eu", 2_000), ("us", 10), ("asia", 5_000)];

#[more_threads::main]
fn main() -> Result<(), BoxError> {
    let (down, deadline) = arguments()?;
    let started = Instant::now();
    let race = ScopeBuilder::new().deadline(deadline);
    let (mirror, bytes) = race.first_success(|race| {
        for (name, millis) in MIRRORS {
            let down = down.as_deref() == Some(name);
            race.spawn(name, move |please_stop| {
                download(name, Duration::from_millis(millis), down, please_stop)
            });
        }
    })?;
    println!(
        "mirrors: {mirror} answered first ({} bytes, {:.0?})",
        bytes.len(),
        started.elapsed()
    );
    Ok(())
}

/// "Downloads" from one mirror: waits for its latency unless asked to stop
/// first, in which case it says why and returns quietly.
fn download(
    name: &'static str,
    latency: Duration,
    down: bool,
    please_stop: &Signal,
) -> Result<(&'static str, Vec<u8>), BoxError> {
    if down {
        return Err(format!("{name}: connection refused").into());
    }
    (please_stop | Till::after(latency)).wait();
    if let Some(reason) = please_stop.reason() {
        println!("mirrors: {name} gave up, because {reason}");
    }
    please_stop.check()?;
    Ok((name, vec![42; 1024]))
}

/// `--down MIRROR` and `--deadline MS`.
fn arguments() -> Result<(Option<String>, Duration), BoxError> {
    let mut down = None;
    let mut deadline = Duration::from_secs(60);
    let mut arguments = std::env::args().skip(1);
    while let Some(argument) = arguments.next() {
        match argument.as_str() {
            "--down" => {
                let name = arguments
                    .next()
                    .ok_or("--down needs a mirror: eu, us or asia")?;
                if !MIRRORS.iter().any(|(mirror, _)| *mirror == name) {
                    return Err(format!("no mirror {name:?}: eu, us or asia").into());
                }
                down = Some(name);
            }
            "--deadline" => {
                let millis: u64 = arguments
                    .next()
                    .and_then(|millis| millis.parse().ok())
                    .ok_or("--deadline needs milliseconds, a whole number")?;
                deadline = Duration::from_millis(millis);
            }
            other => {
                return Err(format!(
                    "unexpected argument {other:?}; usage: mirrors [--down MIRROR] [--deadline MS]"
                )
                .into());
            }
        }
    }
    Ok((down, deadline))
}
