//! A `return` from inside a `for` loop written in the block leaves the fn
//! (the loop is the block's own, the fn is not).
#![deny(warnings)]

use more_threads::prelude::*;

fn plain(values: &[i32]) -> Result<i32, usize> {
    let total = {
        let mut total = 0;
        for (index, value) in values.iter().enumerate() {
            if *value < 0 {
                return Err(index);
            }
            total += value;
        }
        total
    };
    Ok(total)
}

fn scoped(values: &[i32]) -> Result<i32, usize> {
    let total = scope! {
        let len = spawn "len" => |_please_stop| values.len();
        let mut total = 0;
        for (index, value) in values.iter().enumerate() {
            if *value < 0 {
                return Err(index);
            }
            total += value;
        }
        assert_eq!(len.join().unwrap(), values.len());
        total
    };
    Ok(total)
}

fn main() {
    for values in [&[1, 2, 3][..], &[1, -2, 3][..]] {
        assert_eq!(plain(values), scoped(values));
    }
}
