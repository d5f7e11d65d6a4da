//! A block in a closure with no written return type, whose `return` and
//! value together give the closure's return type.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let plain = |x: u32| {
        if x == 0 {
            return 1;
        }
        x * 2
    };
    let scoped = |x: u32| {
        scope! {
            if x == 0 {
                return 1;
            }
            let doubled = spawn "double" => move |_please_stop| x * 2;
            doubled.join().unwrap()
        }
    };
    let inputs = [0, 1, 7];
    let plain: Vec<u32> = inputs.iter().map(|&x| plain(x)).collect();
    let scoped: Vec<u32> = inputs.iter().map(|&x| scoped(x)).collect();
    assert_eq!(plain, scoped);
}
