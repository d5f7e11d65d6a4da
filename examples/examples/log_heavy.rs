//! A fixed job that logs heavily: a worker (or `--workers N`) hashes a
//! stream of blocks and logs a record for every block, to a file. Run it
//! with the central logger (the default: the workers hand each line to the
//! logger thread) and with `--sync` (each worker writes its own lines, as a
//! plain logger does), and compare the times.
//!
//! ```text
//! cargo run --release --example log_heavy -- [--sync] [--workers N] [--blocks N] [--log FILE]
//! ```
//!
//! The logger thread needs a core of its own to take the writing off the
//! workers: with as many workers as cores, it competes with them.
//!
//! mo-threads reports up to 15% more throughput on a logging-heavy job from
//! moving logging off the working threads; `runtime/benches/README.md` has
//! what this job measures here.

use more_threads::logging::Config;
use more_threads::prelude::*;
use more_threads::{Main, ThreadError};
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let synchronous = arguments.iter().any(|argument| argument == "--sync");
    let value_of = |flag: &str| {
        arguments
            .iter()
            .position(|argument| argument == flag)
            .and_then(|index| arguments.get(index + 1))
    };
    let number = |flag: &str, default: u64| match value_of(flag).map(|count| count.parse()) {
        None => Ok(default),
        Some(Ok(count)) if count > 0 => Ok(count),
        Some(_) => Err(format!("log_heavy: {flag} takes a number above 0")),
    };
    let (blocks, workers) = match (number("--blocks", 200_000), number("--workers", 1)) {
        (Ok(blocks), Ok(workers)) => (blocks, workers),
        (Err(error), _) | (_, Err(error)) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let file = value_of("--log").map_or_else(
        || std::env::temp_dir().join(format!("log_heavy-{}.log", std::process::id())),
        Into::into,
    );
    let _ = std::fs::remove_file(&file);
    let config = Config::new()
        .filter("info")
        .to_file(&file)
        .synchronous(synchronous);
    let mode = if synchronous {
        "synchronous: each worker writes its own lines"
    } else {
        "central logger: the logger thread writes"
    };
    Main::new().log_config(config).run(|_| {
        let started = Instant::now();
        let digest = scope! {
            let workers: Vec<_> = (0..workers)
                .map(|worker| spawn format!("hasher-{worker}") => move |please_stop| hash_blocks(worker, workers, blocks, please_stop))
                .collect();
            let mut digest = 0_u64;
            for worker in workers {
                digest ^= worker.join()?;
            }
            digest
        };
        // The job is done when its records are written, in either mode.
        more_threads::logging::flush();
        let elapsed = started.elapsed();
        let lines = std::fs::read_to_string(&file)
            .map(|text| text.lines().count())
            .unwrap_or(0);
        println!(
            "log_heavy: {blocks} blocks hashed by {workers} worker(s), {lines} lines logged, in {:.3} s ({mode}); digest {digest:016x}",
            elapsed.as_secs_f64()
        );
        let _ = std::fs::remove_file(&file);
        Ok::<_, ThreadError>(())
    })
}

/// Hashes this worker's share of the blocks (FNV-1a over 256 bytes each),
/// logging one record per block.
fn hash_blocks(worker: u64, workers: u64, blocks: u64, please_stop: &Signal) -> u64 {
    let mut digest = 0_u64;
    let mut block = [0_u8; 256];
    for index in (worker..blocks).step_by(workers as usize) {
        if please_stop.is_go() {
            break;
        }
        for (offset, byte) in block.iter_mut().enumerate() {
            *byte = (index as u8).wrapping_mul(31).wrapping_add(offset as u8);
        }
        let mut hash = 0xcbf2_9ce4_8422_2325_u64;
        for _ in 0..8 {
            for byte in block {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        }
        digest ^= hash;
        log::info!(target: "log_heavy", "block {index} hashed to {hash:016x} by worker {worker}");
    }
    digest
}
