use more_threads::prelude::*;

fn main() {
    let value = scope! {
        let handle = spawn { 6_u32 * 7 };
        handle.join().unwrap()
    };
    println!("{value}");
}
