//! `(spawn "x" => ...).join()`: a spawn in parentheses, its handle joined
//! in the same expression, in arithmetic and in a `vec!`.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let values = [3_u32, 4];
    let scoped = scope! {
        let sum = (spawn "a" => |_please_stop| values[0]).join().unwrap()
            + (spawn "b" => |_please_stop| values[1]).join().unwrap();
        let both = vec![
            (spawn "c" => |_please_stop| values[0] * 2).join().unwrap(),
            (spawn "d" => |_please_stop| values[1] * 2).join().unwrap(),
        ];
        (sum, both)
    };
    assert_eq!(scoped, { (7, vec![6, 8]) });
}
