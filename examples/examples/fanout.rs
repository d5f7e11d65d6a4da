//! Fan-out, fan-in, fail fast: checksum the chunks of some data on a scope of
//! named threads, and see a bad chunk stop the whole job at once.
//!
//! ```text
//! cargo run --example fanout -- [--chunks N] [--bad-chunk K]
//! ```
//!
//! Each chunk is summed by its own thread, slowly (a few milliseconds per
//! block, to stand for real work), and checks `please_stop` as it goes.
//! The children are joined with `as_completed`, in the order they finish,
//! so the first failure is seen at once: `?` leaves the scope, which stops
//! every other chunk (they return quietly with `please_stop.check()?`) and
//! waits for them. With `--bad-chunk K`, chunk K holds a zero byte and fails
//! at its first block; the run ends in a fraction of the time a good run
//! takes, and the error names the chunk.

use more_threads::as_completed;
use more_threads::prelude::*;
use std::time::{Duration, Instant};

const BLOCKS_PER_CHUNK: usize = 40;
const BLOCK: usize = 1024;

#[more_threads::main]
fn main() -> Result<(), BoxError> {
    let (chunk_count, bad_chunk) = arguments()?;
    let data = make_data(chunk_count, bad_chunk);
    let started = Instant::now();
    let total = scope! {
        let chunks: Vec<_> = data
            .chunks(BLOCKS_PER_CHUNK * BLOCK)
            .enumerate()
            .map(|(index, chunk)| spawn format!("chunk-{index}") => move |please_stop| checksum(index, chunk, please_stop))
            .collect();
        let mut total = 0_u64;
        for sum in as_completed(chunks) {
            total += sum?; // the first failure leaves here: the others are stopped
        }
        total
    };
    println!(
        "fanout: the checksum of {chunk_count} chunks is {total} ({:.2?})",
        started.elapsed()
    );
    Ok(())
}

/// Sums a chunk block by block, as slow work would, until done, asked to
/// stop, or it meets a zero byte (a corrupt chunk).
fn checksum(index: usize, chunk: &[u8], please_stop: &Signal) -> Result<u64, BoxError> {
    let mut sum = 0_u64;
    for block in chunk.chunks(BLOCK) {
        please_stop.check()?; // stopped by a sibling's failure: quietly
        if block.contains(&0) {
            return Err(format!("chunk {index} is corrupt: it holds a zero byte").into());
        }
        sum += block.iter().map(|&byte| u64::from(byte)).sum::<u64>();
        Till::after(Duration::from_millis(5)).or(please_stop).wait();
    }
    Ok(sum)
}

fn make_data(chunks: usize, bad_chunk: Option<usize>) -> Vec<u8> {
    let mut data: Vec<u8> = (0..chunks * BLOCKS_PER_CHUNK * BLOCK)
        .map(|n| (n % 251) as u8 + 1)
        .collect();
    if let Some(bad) = bad_chunk {
        data[bad * BLOCKS_PER_CHUNK * BLOCK] = 0;
    }
    data
}

fn arguments() -> Result<(usize, Option<usize>), BoxError> {
    let mut chunks = 8;
    let mut bad = None;
    let mut arguments = std::env::args().skip(1);
    while let Some(argument) = arguments.next() {
        let mut number = |what: &str| -> Result<usize, BoxError> {
            let text = arguments.next().ok_or(format!("{what} needs a number"))?;
            text.parse()
                .map_err(|_| format!("{what} needs a number, not {text:?}").into())
        };
        match argument.as_str() {
            "--chunks" => chunks = number("--chunks")?,
            "--bad-chunk" => bad = Some(number("--bad-chunk")?),
            other => {
                return Err(format!(
                    "unknown argument {other:?}; usage: fanout [--chunks N] [--bad-chunk K]"
                )
                .into());
            }
        }
    }
    if chunks == 0 || bad.is_some_and(|bad| bad >= chunks) {
        return Err("--chunks must be at least 1, and --bad-chunk one of the chunks".into());
    }
    Ok((chunks, bad))
}
