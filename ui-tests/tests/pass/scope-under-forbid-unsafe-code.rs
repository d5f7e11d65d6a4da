//! `#![forbid(unsafe_code)]`: the expansions of `scope!`, `#[worker]` and
//! `#[more_threads::main]` hold no `unsafe`, so the crate still builds.
#![deny(warnings)]
#![forbid(unsafe_code)]

use more_threads::prelude::*;

#[worker]
fn halve(value: u32) -> u32 {
    value / 2
}

#[more_threads::main]
fn main() -> Result<(), ThreadError> {
    let values = [10_u32, 20];
    let total = scope! {
        let a = spawn "a" => halve(values[0]);
        let b = spawn "b" => |_please_stop| values[1] / 2;
        a.join()? + b.join()?
    };
    assert_eq!(total, { values[0] / 2 + values[1] / 2 });
    Ok(())
}
