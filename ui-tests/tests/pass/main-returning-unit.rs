//! `#[more_threads::main]` on a `fn main()` returning `()`, with a block
//! whose child borrows a local of main, and a child left to the shutdown.
#![deny(warnings)]

use more_threads::prelude::*;

#[more_threads::main]
fn main() {
    let values = [1, 2, 3];
    let total: i32 = scope! {
        let sum = spawn "sum" => |_please_stop| values.iter().sum::<i32>();
        sum.join().unwrap()
    };
    assert_eq!(total, { values.iter().sum::<i32>() });
    assert!(!please_stop.is_go());
    Thread::run("background", |please_stop| please_stop.wait())
        .unwrap()
        .release();
}
