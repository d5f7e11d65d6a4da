//! A plain `continue` in a block in a `for` loop skips to the next item;
//! the statements after it in the block do not run for that item.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let values = [3_i32, -1, 4, -1, 5];
    let mut plain = Vec::new();
    for value in values {
        {
            if value < 0 {
                continue;
            }
            plain.push(value * 10);
        }
    }
    let mut scoped = Vec::new();
    for value in values {
        scope! {
            let scaled = spawn "scale" => move |_please_stop| value * 10;
            if value < 0 {
                continue;
            }
            scoped.push(scaled.join().unwrap());
        }
    }
    assert_eq!(plain, scoped);
}
