//! `const` and `static` items declared inside the block, used by the block
//! and by a child.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let plain = {
        const FACTOR: u32 = 3;
        static NAMES: [&str; 2] = ["x", "yz"];
        NAMES.iter().map(|n| n.len() as u32 * FACTOR).sum::<u32>()
    };
    let scoped = scope! {
        const FACTOR: u32 = 3;
        static NAMES: [&str; 2] = ["x", "yz"];
        let child = spawn NAMES[1] => |_please_stop| NAMES.iter().map(|n| n.len() as u32 * FACTOR).sum::<u32>();
        child.join().unwrap()
    };
    assert_eq!(plain, scoped);
}
