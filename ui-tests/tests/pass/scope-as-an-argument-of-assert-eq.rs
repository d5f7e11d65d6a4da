//! `assert_eq!(scope! { ... }, expected)` and `assert!(scope! { ... })`:
//! the block as an argument of the standard assertions.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let values = [1_i32, -2, 3];
    assert_eq!(
        scope! {
            let positive = spawn "positive" => |_please_stop| values.iter().filter(|v| **v > 0).count();
            positive.join().unwrap()
        },
        { values.iter().filter(|v| **v > 0).count() }
    );
    assert!(scope! {
        let negative = spawn "negative" => |_please_stop| values.iter().any(|v| *v < 0);
        negative.join().unwrap()
    });
}
