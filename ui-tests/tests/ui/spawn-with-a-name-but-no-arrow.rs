use more_threads::prelude::*;

fn main() {
    let value = scope! {
        let handle = spawn "answer" |_please_stop| 42_u32;
        handle.join().unwrap()
    };
    println!("{value}");
}
