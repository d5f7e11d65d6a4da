use more_threads::prelude::*;

fn main() {
    let sum: u32 = scope! {
        let handles = vec![spawn |_please_stop| 1_u32, spawn "two" => |_please_stop| 2_u32];
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    };
    println!("{sum}");
}
