//! A block ending with an unsuffixed literal: its integer type is chosen by
//! a later use (`let small: u8 = value;`), as for a plain block.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let plain = { 200 };
    let scoped = scope! {
        spawn "idle" => |_please_stop| ();
        200
    };
    let small: u8 = scoped;
    let also_small: u8 = plain;
    assert_eq!(small, also_small);
    assert_eq!(small.checked_add(100), None);
}
