//! Spawns as the field values of a struct literal (`Pair { left: spawn ...,
//! right: spawn ... }`), as any expression may be a field's value.
#![deny(warnings)]

use more_threads::prelude::*;

struct Pair<L, R> {
    left: L,
    right: R,
}

fn main() {
    let values = [1_u32, 2, 3, 4];
    let (low, high) = values.split_at(2);
    let scoped = scope! {
        let pair = Pair {
            left: spawn "left" => |_please_stop| low.iter().sum::<u32>(),
            right: spawn "right" => |_please_stop| high.iter().sum::<u32>(),
        };
        (pair.left.join().unwrap(), pair.right.join().unwrap())
    };
    let plain = Pair {
        left: low.iter().sum::<u32>(),
        right: high.iter().sum::<u32>(),
    };
    assert_eq!((plain.left, plain.right), scoped);
}
