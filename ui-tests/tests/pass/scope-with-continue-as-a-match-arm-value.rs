//! `let v = match x { Some(v) => v, None => continue };` in a block inside a
//! loop: the `continue` arm goes on with the loop outside.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let items = [Some(2_u32), None, Some(5)];
    let mut plain = 0;
    for item in items {
        {
            let value = match item {
                Some(value) => value,
                None => continue,
            };
            plain += value * 10;
        }
    }
    let mut scoped = 0;
    for item in items {
        scope! {
            let copied = spawn "copy" => move |_please_stop| item;
            let value = match copied.join().unwrap() {
                Some(value) => value,
                None => continue,
            };
            scoped += value * 10;
        }
    }
    assert_eq!(plain, scoped);
}
