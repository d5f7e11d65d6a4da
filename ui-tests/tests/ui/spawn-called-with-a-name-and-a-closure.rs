use more_threads::prelude::*;

fn main() {
    let name = "answer";
    let value = scope! {
        let handle = spawn(name, |_please_stop| 42_u32);
        handle.join().unwrap()
    };
    println!("{value}");
}
