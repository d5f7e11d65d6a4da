//! A `#[worker]` fn that calls itself and runs the result on its own thread
//! (`depth(n - 1).run(please_stop)`), as a recursive plain fn would.
#![deny(warnings)]

use more_threads::prelude::*;

#[worker]
fn depth(n: u32) -> u32 {
    if n == 0 {
        0
    } else {
        1 + depth(n - 1).run(please_stop)
    }
}

fn main() {
    let scoped = scope! {
        let deep = spawn "depth" => depth(5);
        deep.join().unwrap()
    };
    assert_eq!(scoped, 5);
}
