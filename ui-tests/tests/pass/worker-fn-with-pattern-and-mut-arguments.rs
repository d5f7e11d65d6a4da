//! A `#[worker]` fn whose parameters are a tuple pattern and a `mut`
//! binding: the body destructures and mutates as a plain fn's does.
#![deny(warnings)]

use more_threads::prelude::*;

#[worker]
fn sorted_range((low, high): (u32, u32), mut values: Vec<u32>) -> Vec<u32> {
    values.retain(|v| (low..=high).contains(v));
    values.sort_unstable();
    values
}

fn main() {
    let values = vec![9, 1, 5, 3, 7];
    let plain = {
        let mut kept: Vec<u32> = values
            .iter()
            .copied()
            .filter(|v| (3..=7).contains(v))
            .collect();
        kept.sort_unstable();
        kept
    };
    let scoped = scope! {
        let sorted = spawn "sort" => sorted_range((3, 7), values.clone());
        sorted.join().unwrap()
    };
    assert_eq!(plain, scoped);
}
