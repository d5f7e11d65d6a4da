//! `#[more_threads::main]` on a unit main with a `return;` inside a block:
//! main's body ends there, and the shutdown runs.
#![deny(warnings)]

use more_threads::prelude::*;

#[more_threads::main]
fn main() {
    let items: [u8; 0] = [];
    scope! {
        let count = spawn "count" => |_please_stop| items.len();
        if count.join().unwrap() == 0 {
            return;
        }
    }
    unreachable!("returned inside the block");
}
