//! A block ending with a `loop` that is left only by `return`: the loop's
//! type is `!`, so the block fits the fn's `u32`.
#![deny(warnings)]

use more_threads::prelude::*;

fn plain(limit: u32) -> u32 {
    {
        let mut n = 0;
        loop {
            n += 1;
            if n * n > limit {
                return n;
            }
        }
    }
}

fn scoped(limit: u32) -> u32 {
    scope! {
        let start = spawn "start" => |_please_stop| 0_u32;
        let mut n = start.join().unwrap();
        loop {
            n += 1;
            if n * n > limit {
                return n;
            }
        }
    }
}

fn main() {
    for limit in [0, 10, 99] {
        assert_eq!(plain(limit), scoped(limit));
    }
}
