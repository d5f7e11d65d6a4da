use more_threads::prelude::*;

fn main() {
    let value = scope! {
        let handle = {
            let base = 2_u32;
            spawn move |_please_stop| base * 3
        };
        handle.join().unwrap()
    };
    println!("{value}");
}
