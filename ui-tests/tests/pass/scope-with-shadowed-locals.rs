//! Names shadowed inside the block (`let total = ...; let total = ...;`,
//! a handle shadowed by its joined value) and outside it after.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let total = "not a number";
    let plain = {
        let total = total.len();
        let total = total * 2;
        total + 1
    };
    let scoped = scope! {
        let total = spawn "length" => |_please_stop| total.len();
        let total = total.join().unwrap();
        let total = total * 2;
        total + 1
    };
    assert_eq!(plain, scoped);
    let scoped = scoped.to_string();
    assert_eq!(scoped, "25");
    assert_eq!(total, "not a number");
}
