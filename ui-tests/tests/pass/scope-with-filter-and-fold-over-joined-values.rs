//! The block's value is a `filter` then `fold` over the joined values of
//! children started in a `for` loop.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let numbers: Vec<i64> = (1..=12).collect();
    let plain = numbers
        .chunks(4)
        .map(|chunk| chunk.iter().product::<i64>())
        .filter(|product| product % 2 == 0)
        .fold(0_i64, |total, product| total + product);
    let scoped = scope! {
        let mut handles = Vec::new();
        for chunk in numbers.chunks(4) {
            handles.push(spawn "product" => move |_please_stop| chunk.iter().product::<i64>());
        }
        handles
            .into_iter()
            .map(|handle| handle.join().unwrap())
            .filter(|product| product % 2 == 0)
            .fold(0_i64, |total, product| total + product)
    };
    assert_eq!(plain, scoped);
}
