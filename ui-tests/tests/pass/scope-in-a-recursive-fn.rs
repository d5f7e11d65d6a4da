//! A recursive divide-and-conquer fn whose block spawns a child for one
//! half and recurses on the other: blocks nested at run time.
#![deny(warnings)]

use more_threads::prelude::*;

fn plain(values: &[u64]) -> u64 {
    if values.len() <= 2 {
        return values.iter().sum();
    }
    let (left, right) = values.split_at(values.len() / 2);
    plain(left) + plain(right)
}

fn scoped(values: &[u64]) -> u64 {
    if values.len() <= 2 {
        return values.iter().sum();
    }
    let (left, right) = values.split_at(values.len() / 2);
    scope! {
        let left = spawn "left" => |_please_stop| scoped(left);
        let right = scoped(right);
        left.join().unwrap() + right
    }
}

fn main() {
    let values: Vec<u64> = (1..=20).collect();
    assert_eq!(plain(&values), scoped(&values));
    assert_eq!(scoped(&values), 210);
}
