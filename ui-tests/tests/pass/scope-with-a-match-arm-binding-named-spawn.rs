//! A match arm whose pattern binds a variable named `spawn` (plain and with
//! `@`), inside the block: a binding of the user's, not a spawn.
#![deny(warnings)]

use more_threads::prelude::*;

fn plain(count: u32) -> u32 {
    match count {
        0 => 100,
        spawn @ 1..=5 => spawn * 10,
        spawn => spawn + 1,
    }
}

fn scoped(count: u32) -> u32 {
    scope! {
        let count = spawn "count" => move |_please_stop| count;
        match count.join().unwrap() {
            0 => 100,
            spawn @ 1..=5 => spawn * 10,
            spawn => spawn + 1,
        }
    }
}

fn main() {
    for count in [0, 3, 9] {
        assert_eq!(plain(count), scoped(count));
    }
}
