// A worker that borrows the loop's variable, which dies at the end of each
// turn while the thread may still run: rustc's error says to `move` it.
use more_threads::prelude::*;

fn main() {
    scope! {
        for index in 0..3_u32 {
            spawn format!("counter-{index}") => |_please_stop| index * 2;
        }
    };
}
