//! A local fn named `spawn` (and a variable named `release`) stay the
//! user's: `spawn(3)` is a call, only `spawn NAME => ...` is the DSL's.
#![deny(warnings)]

use more_threads::prelude::*;

fn spawn(value: u32) -> u32 {
    value * 3
}

fn main() {
    let release = 4_u32;
    let plain = { spawn(release) + spawn(1) };
    let scoped = scope! {
        let child = spawn "child" => move |_please_stop| spawn(release);
        let local = spawn(1);
        child.join().unwrap() + local
    };
    assert_eq!(plain, scoped);
    assert_eq!(scoped, 15);
}
