// A spawn written wrong is the only error, even under `deny(warnings)` with
// code after the block: the block keeps its type (it used to become `!`,
// which made the next statement "unreachable"), and a closure missing its
// `please_stop` is not refused a second time by rustc.
#![deny(warnings)]
use more_threads::prelude::*;

fn main() {
    let total: u32 = scope! {
        let first = spawn => |_please_stop| 1_u32;
        let second = spawn "second" => || 2_u32;
        first.join().unwrap() + second.join().unwrap()
    };
    println!("{total}");
}
