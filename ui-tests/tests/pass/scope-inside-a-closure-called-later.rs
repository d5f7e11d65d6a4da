//! A closure whose body is a `scope!` that borrows what the closure
//! captured: called twice, it computes what the plain closure does.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let weights = vec![2_u32, 3, 5];
    let plain = |factor: u32| -> u32 { weights.iter().map(|w| w * factor).sum() };
    let scoped = |factor: u32| -> u32 {
        scope! {
            let total = spawn "weigh" => |_please_stop| weights.iter().map(|w| w * factor).sum::<u32>();
            total.join().unwrap()
        }
    };
    assert_eq!(plain(1), scoped(1));
    assert_eq!(plain(10), scoped(10));
}
