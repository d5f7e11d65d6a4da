use more_threads::prelude::*;

struct Pair<L, R> {
    left: L,
    right: R,
}

fn main() {
    let sum: u32 = scope! {
        let pair = Pair {
            left: spawn |_please_stop| 1_u32,
            right: spawn "right" => |_please_stop| 2_u32,
        };
        pair.left.join().unwrap() + pair.right.join().unwrap()
    };
    println!("{sum}");
}
