//! `#[more_threads::main]` on a main whose body begins with
//! `#![allow(...)]`, as a plain fn's body may.
#![deny(warnings)]

use more_threads::prelude::*;

#[more_threads::main]
fn main() {
    #![allow(clippy::identity_op)]
    let value = scope! {
        let value = spawn "value" => |_please_stop| 6 * 1;
        value.join().unwrap()
    };
    assert_eq!(value, 6);
}
