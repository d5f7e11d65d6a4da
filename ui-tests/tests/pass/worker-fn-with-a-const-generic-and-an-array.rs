//! A `#[worker]` fn with a const generic parameter taking `[u32; N]` by
//! value, spawned with arrays of two lengths.
#![deny(warnings)]

use more_threads::prelude::*;

#[worker]
fn checksum<const N: usize>(bytes: [u32; N]) -> u32 {
    bytes
        .iter()
        .fold(0, |sum, b| sum.wrapping_mul(31).wrapping_add(*b))
}

fn main() {
    let plain = (
        [1_u32, 2, 3]
            .iter()
            .fold(0_u32, |s, b| s.wrapping_mul(31).wrapping_add(*b)),
        [9_u32]
            .iter()
            .fold(0_u32, |s, b| s.wrapping_mul(31).wrapping_add(*b)),
    );
    let scoped = scope! {
        let three = spawn "three" => checksum([1, 2, 3]);
        let one = spawn "one" => checksum([9]);
        (three.join().unwrap(), one.join().unwrap())
    };
    assert_eq!(plain, scoped);
}
