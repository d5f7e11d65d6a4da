//! A pipeline of named stages connected by channels: `read` produces
//! numbers, `square` squares them, `sum` adds them up. A failing stage is
//! reported by name and path, and the other stages stop.
//!
//! ```text
//! cargo run --example pipeline -- [COUNT] [--fail-at N]
//! ```
//!
//! `--fail-at N` makes `square` fail on the number N: the error reaches main
//! as `thread main/square failed: ...`, the process exits with code 1, and
//! `read` and `sum` are stopped instead of waiting forever.

use crossbeam_channel::{Receiver, Sender, bounded};
use more_threads::prelude::*;
use std::error::Error;

#[more_threads::main]
fn main() -> Result<(), Box<dyn Error>> {
    let (count, fail_at) = arguments()?;
    let (numbers_out, numbers_in) = bounded::<u64>(64);
    let (squares_out, squares_in) = bounded::<u64>(64);
    let total = scope! {
        let read = spawn "read" => read(count, numbers_out);
        let square = spawn "square" => square(numbers_in, squares_out, fail_at);
        let sum = spawn "sum" => sum(squares_in);
        // Join the middle first: if it fails, `?` leaves at once, and the
        // scope's end stops `read` and `sum` on the way out.
        square.join()?;
        read.join()?;
        sum.join()?
    };
    println!("pipeline: the sum of the squares of 1..={count} is {total}");
    Ok(())
}

/// Sends 1..=count, or stops early when asked to.
#[worker]
fn read(count: u64, numbers: Sender<u64>) -> u64 {
    let stopped = please_stop.receiver();
    for number in 1..=count {
        crossbeam_channel::select! {
            send(numbers, number) -> sent => if sent.is_err() { return number - 1 },
            recv(stopped) -> _ => return number - 1,
        }
    }
    count
}

/// Squares every number; fails on `fail_at`.
#[worker]
fn square(
    numbers: Receiver<u64>,
    squares: Sender<u64>,
    fail_at: Option<u64>,
) -> Result<(), String> {
    let stopped = please_stop.receiver();
    loop {
        let number = crossbeam_channel::select! {
            recv(numbers) -> number => match number {
                Ok(number) => number,
                Err(_) => return Ok(()), // `read` is done
            },
            recv(stopped) -> _ => return Ok(()),
        };
        if Some(number) == fail_at {
            return Err(format!("cannot square {number}: told to fail here"));
        }
        if squares.send(number * number).is_err() {
            return Ok(());
        }
    }
}

/// Adds the squares until `square` is done.
#[worker]
fn sum(squares: Receiver<u64>) -> u64 {
    let stopped = please_stop.receiver();
    let mut total = 0;
    loop {
        crossbeam_channel::select! {
            recv(squares) -> square => match square {
                Ok(square) => total += square,
                Err(_) => return total,
            },
            recv(stopped) -> _ => return total,
        }
    }
}

fn arguments() -> Result<(u64, Option<u64>), String> {
    let mut count = 1_000;
    let mut fail_at = None;
    let mut arguments = std::env::args().skip(1);
    while let Some(argument) = arguments.next() {
        if argument == "--fail-at" {
            let at = arguments.next().and_then(|text| text.parse().ok());
            fail_at = Some(at.ok_or("--fail-at needs a number")?);
        } else {
            count = argument
                .parse()
                .map_err(|_| format!("COUNT must be a number, not {argument:?}"))?;
        }
    }
    Ok((count, fail_at))
}
