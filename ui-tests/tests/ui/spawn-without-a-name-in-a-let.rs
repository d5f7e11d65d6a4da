use more_threads::prelude::*;

fn main() {
    let total = scope! {
        let h = spawn |_please_stop| 1_u32;
        h.join().unwrap()
    };
    println!("{total}");
}
