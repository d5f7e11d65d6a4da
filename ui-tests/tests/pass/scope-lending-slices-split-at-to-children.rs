//! Children borrow the two halves of a slice from `split_at`, and the
//! slice is used again after the block.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let data: Vec<u32> = (1..=10).collect();
    let (low, high) = data.split_at(4);
    let plain = (low.iter().sum::<u32>(), high.iter().sum::<u32>());
    let scoped = scope! {
        let low = spawn "low" => |_please_stop| low.iter().sum::<u32>();
        let high = spawn "high" => |_please_stop| high.iter().sum::<u32>();
        (low.join().unwrap(), high.join().unwrap())
    };
    assert_eq!(plain, scoped);
    assert_eq!(data.len(), 10);
}
