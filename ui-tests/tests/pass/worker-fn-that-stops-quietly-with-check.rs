//! A `#[worker]` fn returning `Result<_, BoxError>` that loops on
//! `please_stop.check()?`, released in a block: the block's end stops it,
//! quietly (a stop is not a failure).
#![deny(warnings)]

use more_threads::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};

#[worker]
fn spin(rounds: &AtomicU64) -> Result<(), BoxError> {
    loop {
        please_stop.check()?;
        rounds.fetch_add(1, Ordering::Relaxed);
        std::thread::yield_now();
    }
}

fn main() {
    let rounds = AtomicU64::new(0);
    let value = scope! {
        release spawn "spin" => spin(&rounds);
        "done"
    };
    assert_eq!(value, { "done" });
    let seen = rounds.load(Ordering::Relaxed);
    assert_eq!(rounds.load(Ordering::Relaxed), seen, "stopped for good");
}
