//! A child may start its siblings with the DSL, as `Scope::spawn` allows:
//! the spawns in a worker's closure are the scope's too (they used to be
//! left as tokens, and failed with "unexpected token, expected `;`").
#![deny(warnings)]

use more_threads::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

fn main() {
    let started = AtomicUsize::new(0);
    let total = scope! {
        let parent = spawn "parent" => |_please_stop| {
            let sibling = spawn "sibling" => |_please_stop| {
                started.fetch_add(1, Ordering::SeqCst);
                40
            };
            release spawn "background" => |please_stop: &Signal| please_stop.wait();
            sibling.join().unwrap() + 2
        };
        parent.join().unwrap()
    };
    assert_eq!(total, 42);
    assert_eq!(started.load(Ordering::SeqCst), 1);
}
