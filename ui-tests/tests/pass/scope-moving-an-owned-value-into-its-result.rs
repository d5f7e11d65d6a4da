//! The block moves an owned `String` of the fn into its value
//! (`name + suffix`), as a plain block may.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let (name, other) = (String::from("thread"), String::from("thread"));
    let plain = {
        let suffix = "s".repeat(2);
        name + &suffix
    };
    let scoped = scope! {
        let suffix = spawn "suffix" => |_please_stop| "s".repeat(2);
        other + &suffix.join().unwrap()
    };
    assert_eq!(plain, scoped);
}
