use more_threads::prelude::*;

fn main() {
    let base = 6_u32;
    let value = scope! {
        let handle = spawn(move |_please_stop| base * 7);
        handle.join().unwrap()
    };
    println!("{value}");
}
