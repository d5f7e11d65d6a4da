//! `#[more_threads::main]` whose whole body is one `scope!` block, its
//! value (a join's `Result`) being main's return value.
#![deny(warnings)]

use more_threads::prelude::*;

#[more_threads::main]
fn main() -> Result<(), ThreadError> {
    scope! {
        let checked = spawn "check" => |_please_stop| {
            assert_eq!(2 + 2, 4);
        };
        checked.join()
    }
}
