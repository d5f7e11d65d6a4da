//! A closure inside the block with its own `return`: it returns from the
//! closure, and the block goes on.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let values = [5_i32, -3, 8];
    let plain: Vec<i32> = {
        let clamp = |value: i32| -> i32 {
            if value < 0 {
                return 0;
            }
            value.min(6)
        };
        values.iter().map(|&v| clamp(v)).collect()
    };
    let scoped: Vec<i32> = scope! {
        let clamp = |value: i32| -> i32 {
            if value < 0 {
                return 0;
            }
            value.min(6)
        };
        let doubled = spawn "len" => |_please_stop| values.len();
        let clamped: Vec<i32> = values.iter().map(|&v| clamp(v)).collect();
        assert_eq!(doubled.join().unwrap(), clamped.len());
        clamped
    };
    assert_eq!(plain, scoped);
    assert_eq!(scoped, [5, 0, 6]);
}
