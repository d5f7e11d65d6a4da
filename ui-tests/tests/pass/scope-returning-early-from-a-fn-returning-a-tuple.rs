//! `return (min, max)` inside the block of a fn returning a tuple, the
//! block's value a tuple too.
#![deny(warnings)]

use more_threads::prelude::*;

fn plain(values: &[i64]) -> (i64, i64) {
    {
        let Some(&first) = values.first() else {
            return (0, 0);
        };
        if values.len() == 1 {
            return (first, first);
        }
        (*values.iter().min().unwrap(), *values.iter().max().unwrap())
    }
}

fn scoped(values: &[i64]) -> (i64, i64) {
    scope! {
        let Some(&first) = values.first() else {
            return (0, 0);
        };
        if values.len() == 1 {
            return (first, first);
        }
        let min = spawn "min" => |_please_stop| *values.iter().min().unwrap();
        let max = spawn "max" => |_please_stop| *values.iter().max().unwrap();
        (min.join().unwrap(), max.join().unwrap())
    }
}

fn main() {
    for values in [&[][..], &[5][..], &[5, -2, 9][..]] {
        assert_eq!(plain(values), scoped(values));
    }
}
