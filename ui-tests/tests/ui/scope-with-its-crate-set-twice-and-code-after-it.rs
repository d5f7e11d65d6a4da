// A scope whose options are wrong is its error alone, even under
// `deny(warnings)` with code after it (no "unreachable statement").
#![deny(warnings)]
use more_threads::prelude::*;

fn main() {
    let values = [1_u32, 2];
    let total: u32 = scope! {
        #![crate = "more_threads"]
        #![crate = "more_threads"]
        let first = spawn "first" => |_please_stop| values[0];
        first.join().unwrap()
    };
    println!("{total}");
}
