//! A fn generic over `const N: usize` whose block lends the two halves of
//! an array `[u32; N]` to children that fill them.
#![deny(warnings)]

use more_threads::prelude::*;

fn plain<const N: usize>(start: u32) -> [u32; N] {
    let mut out = [0; N];
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = start + i as u32;
    }
    out
}

fn scoped<const N: usize>(start: u32) -> [u32; N] {
    let mut out = [0; N];
    let (low, high) = out.split_at_mut(N / 2);
    scope! {
        let offset = low.len();
        spawn "low" => move |_please_stop| {
            for (i, slot) in low.iter_mut().enumerate() {
                *slot = start + i as u32;
            }
        };
        spawn "high" => move |_please_stop| {
            for (i, slot) in high.iter_mut().enumerate() {
                *slot = start + (offset + i) as u32;
            }
        };
    }
    out
}

fn main() {
    assert_eq!(plain::<5>(10), scoped::<5>(10));
    assert_eq!(plain::<0>(1), scoped::<0>(1));
}
