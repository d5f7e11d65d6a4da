//! `scope! { ... } as f64` and `-scope! { ... }`: the block as the operand
//! of a cast and of a unary operator.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let values = [3_i32, 4];
    let plain = ({ values.iter().sum::<i32>() } as f64 / 2.0, -{ values[0] });
    let scoped = (
        scope! {
            let sum = spawn "sum" => |_please_stop| values.iter().sum::<i32>();
            sum.join().unwrap()
        } as f64
            / 2.0,
        -scope! {
            let first = spawn "first" => |_please_stop| values[0];
            first.join().unwrap()
        },
    );
    assert_eq!(plain, scoped);
}
