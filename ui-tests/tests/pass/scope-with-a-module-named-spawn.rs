//! A module of the user's named `spawn`, its items reached by path
//! (`spawn::double(..)`, `spawn::LIMIT`) inside the block.
#![deny(warnings)]

use more_threads::prelude::*;

mod spawn {
    pub const LIMIT: u32 = 10;

    pub fn double(value: u32) -> u32 {
        value * 2
    }
}

fn main() {
    let plain = { spawn::double(spawn::LIMIT) + 1 };
    let scoped = scope! {
        let child = spawn "child" => |_please_stop| spawn::double(spawn::LIMIT);
        spawn::double(0);
        child.join().unwrap() + 1
    };
    assert_eq!(plain, scoped);
}
