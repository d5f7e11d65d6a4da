//! Children add to an `AtomicU64` of the enclosing fn; the count is read
//! after joining them, inside the block, as its value.
#![deny(warnings)]

use more_threads::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};

fn main() {
    let words = ["a b c", "d e", "f"];
    let plain = words
        .iter()
        .map(|line| line.split(' ').count() as u64)
        .sum::<u64>();
    let counted = AtomicU64::new(0);
    let scoped = scope! {
        let handles: Vec<_> = words
            .iter()
            .map(|line| spawn "count" => |_please_stop| {
                counted.fetch_add(line.split(' ').count() as u64, Ordering::Relaxed);
            })
            .collect();
        for handle in handles {
            handle.join().unwrap();
        }
        counted.load(Ordering::Relaxed)
    };
    assert_eq!(plain, scoped);
}
