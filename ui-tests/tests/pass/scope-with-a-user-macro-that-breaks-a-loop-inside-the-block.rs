//! A `macro_rules!` of the user's that expands to `break`, used in a loop
//! written inside the block: the `break` leaves that loop.
#![deny(warnings)]

use more_threads::prelude::*;

macro_rules! stop_at_zero {
    ($value:expr) => {
        if $value == 0 {
            break;
        }
    };
}

fn main() {
    let values = [4_u32, 3, 0, 9];
    let plain = {
        let mut total = 0;
        for &value in &values {
            stop_at_zero!(value);
            total += value;
        }
        total
    };
    let scoped = scope! {
        let count = spawn "count" => |_please_stop| values.len();
        let mut total = 0;
        for &value in &values {
            stop_at_zero!(value);
            total += value;
        }
        assert_eq!(count.join().unwrap(), 4);
        total
    };
    assert_eq!(plain, scoped);
    assert_eq!(scoped, 7);
}
