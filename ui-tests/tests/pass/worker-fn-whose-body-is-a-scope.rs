//! A `#[worker]` fn whose body is a `scope!` starting grandchildren, reading
//! the worker's own `please_stop` in the block.
#![deny(warnings)]

use more_threads::prelude::*;

#[worker]
fn sum_halves(values: &[u64]) -> u64 {
    scope! {
        if please_stop.is_go() {
            return 0;
        }
        let (left, right) = values.split_at(values.len() / 2);
        let left = spawn "left" => |_please_stop| left.iter().sum::<u64>();
        let right = spawn "right" => |_please_stop| right.iter().sum::<u64>();
        left.join().unwrap() + right.join().unwrap()
    }
}

fn main() {
    let values: Vec<u64> = (1..=10).collect();
    let scoped = scope! {
        let total = spawn "halves" => sum_halves(&values);
        total.join().unwrap()
    };
    assert_eq!(scoped, values.iter().sum::<u64>());
}
