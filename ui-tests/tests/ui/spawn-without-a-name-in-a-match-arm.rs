use more_threads::prelude::*;

fn main() {
    let count = std::env::args().count();
    let value = scope! {
        let handle = match count {
            0 => spawn |_please_stop| 0_usize,
            n => spawn "many" => move |_please_stop| n,
        };
        handle.join().unwrap()
    };
    println!("{value}");
}
