//! `release spawn` as the body of a `for_each` closure: background children
//! started from an iterator, stopped and joined at the block's end.
#![deny(warnings)]

use more_threads::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

fn main() {
    let stopped = AtomicUsize::new(0);
    let names = ["cache", "metrics", "heartbeat"];
    let count = scope! {
        names.iter().for_each(|name| release spawn *name => |please_stop: &Signal| {
            please_stop.wait();
            stopped.fetch_add(1, Ordering::SeqCst);
        });
        names.len()
    };
    assert_eq!(count, { names.len() });
    assert_eq!(stopped.load(Ordering::SeqCst), names.len());
}
