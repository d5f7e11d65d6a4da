//! `let (min, max, count) = scope! { ... };`: the block's tuple value is
//! destructured by the `let`.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let values = [4_i32, -1, 9, 2];
    let (plain_min, plain_max, plain_count) = {
        (
            *values.iter().min().unwrap(),
            *values.iter().max().unwrap(),
            values.len(),
        )
    };
    let (min, max, count) = scope! {
        let min = spawn "min" => |_please_stop| *values.iter().min().unwrap();
        let max = spawn "max" => |_please_stop| *values.iter().max().unwrap();
        (min.join().unwrap(), max.join().unwrap(), values.len())
    };
    assert_eq!((plain_min, plain_max, plain_count), (min, max, count));
}
