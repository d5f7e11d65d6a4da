//! A `macro_rules!` defined inside the block and used there, in the block
//! and in a child's closure.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let values = [2_u32, 3];
    let plain = {
        macro_rules! cube {
            ($x:expr) => {
                $x * $x * $x
            };
        }
        cube!(values[0]) + cube!(values[1])
    };
    let scoped = scope! {
        macro_rules! cube {
            ($x:expr) => {
                $x * $x * $x
            };
        }
        let second = spawn "second" => |_please_stop| cube!(values[1]);
        cube!(values[0]) + second.join().unwrap()
    };
    assert_eq!(plain, scoped);
    assert_eq!(scoped, 35);
}
