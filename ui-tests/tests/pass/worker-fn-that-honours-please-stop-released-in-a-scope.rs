//! A `#[worker]` fn looping until its `please_stop` goes, started with
//! `release spawn`: the block's end asks it to stop and joins it.
#![deny(warnings)]

use more_threads::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};

#[worker]
fn watch(stopped: &AtomicBool) {
    please_stop.wait();
    stopped.store(true, Ordering::SeqCst);
}

fn main() {
    let stopped = AtomicBool::new(false);
    let value = scope! {
        release spawn "watcher" => watch(&stopped);
        21 * 2
    };
    assert_eq!(value, 42);
    assert!(stopped.load(Ordering::SeqCst));
}
