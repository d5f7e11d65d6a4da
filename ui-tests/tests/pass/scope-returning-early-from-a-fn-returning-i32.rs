//! `return` inside the block of a fn returning `i32`, with a literal and
//! with a computed value, beside the block's own value.
#![deny(warnings)]

use more_threads::prelude::*;

fn plain(values: &[i32]) -> i32 {
    {
        if values.is_empty() {
            return -1;
        }
        let max = *values.iter().max().unwrap();
        if max > 100 {
            return max - 100;
        }
        max
    }
}

fn scoped(values: &[i32]) -> i32 {
    scope! {
        if values.is_empty() {
            return -1;
        }
        let max = spawn "max" => |_please_stop| *values.iter().max().unwrap();
        let max = max.join().unwrap();
        if max > 100 {
            return max - 100;
        }
        max
    }
}

fn main() {
    for values in [&[][..], &[3, 150][..], &[3, 7][..]] {
        assert_eq!(plain(values), scoped(values));
    }
}
