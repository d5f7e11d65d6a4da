//! A `#[worker]` fn with an attribute on a parameter and a parameter named
//! `_`: the signature is kept as written.
#![deny(warnings)]

use more_threads::prelude::*;

#[worker]
fn scaled(#[allow(unused_mut)] mut value: u32, _: &str) -> u32 {
    value *= 3;
    value
}

fn main() {
    let scoped = scope! {
        let scaled = spawn "scaled" => scaled(14, "ignored");
        scaled.join().unwrap()
    };
    assert_eq!(scoped, 42);
}
