//! A `#[worker]` fn whose body begins with `#![allow(...)]`, as a plain
//! fn's body may.
#![deny(warnings)]

use more_threads::prelude::*;

#[worker]
fn identity(value: u32) -> u32 {
    #![allow(clippy::identity_op)]
    value * 1
}

fn main() {
    let scoped = scope! {
        let value = spawn "identity" => identity(7);
        value.join().unwrap()
    };
    assert_eq!(scoped, 7);
}
