//! A `scope!` inside a `scope!`: the inner block's value is a value of the
//! outer one, as nested plain blocks are.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let matrix = [[1_u32, 2], [3, 4], [5, 6]];
    let plain = {
        let first = { matrix[0].iter().sum::<u32>() + matrix[1].iter().sum::<u32>() };
        first * 10 + matrix[2].iter().sum::<u32>()
    };
    let scoped = scope! {
        let last = spawn "last" => |_please_stop| matrix[2].iter().sum::<u32>();
        let first = scope! {
            let a = spawn "row-0" => |_please_stop| matrix[0].iter().sum::<u32>();
            let b = spawn "row-1" => |_please_stop| matrix[1].iter().sum::<u32>();
            a.join().unwrap() + b.join().unwrap()
        };
        first * 10 + last.join().unwrap()
    };
    assert_eq!(plain, scoped);
    assert_eq!(scoped, 111);
}
