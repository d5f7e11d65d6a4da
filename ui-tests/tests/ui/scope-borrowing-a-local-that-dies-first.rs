// A thread may borrow only what outlives the scope: `late` is declared
// inside the block and dropped before the scope joins its threads.
use more_threads::prelude::*;

fn main() {
    scope! {
        let late = vec![1, 2, 3];
        spawn "reader" => |_please_stop: &Signal| late.len();
    };
}
