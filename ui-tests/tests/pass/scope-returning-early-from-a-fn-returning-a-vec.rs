//! `return vec![]` and `return values.to_vec()` inside the block of a fn
//! returning `Vec<u32>`.
#![deny(warnings)]

use more_threads::prelude::*;

fn plain(values: &[u32]) -> Vec<u32> {
    {
        if values.is_empty() {
            return vec![];
        }
        if values.len() < 2 {
            return values.to_vec();
        }
        let mut sorted = values.to_vec();
        sorted.sort_unstable();
        sorted
    }
}

fn scoped(values: &[u32]) -> Vec<u32> {
    scope! {
        if values.is_empty() {
            return vec![];
        }
        if values.len() < 2 {
            return values.to_vec();
        }
        let sorted = spawn "sort" => |_please_stop| {
            let mut sorted = values.to_vec();
            sorted.sort_unstable();
            sorted
        };
        sorted.join().unwrap()
    }
}

fn main() {
    for values in [&[][..], &[9][..], &[3, 1, 2][..]] {
        assert_eq!(plain(values), scoped(values));
    }
}
