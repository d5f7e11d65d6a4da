//! Spawns inside the arguments of `assert_eq!` and `format!`, joined there:
//! the macro's tokens are searched for spawns like the block's.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let name = "tree";
    let text = scope! {
        assert_eq!((spawn "len" => |_please_stop| name.len()).join().unwrap(), 4);
        format!("{}!", (spawn "upper" => |_please_stop| name.to_uppercase()).join().unwrap())
    };
    assert_eq!(text, { format!("{}!", name.to_uppercase()) });
}
