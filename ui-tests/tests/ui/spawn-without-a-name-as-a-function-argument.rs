use more_threads::prelude::*;

fn main() {
    let sum: u32 = scope! {
        let mut handles = Vec::new();
        handles.push(spawn |_please_stop| 1_u32);
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    };
    println!("{sum}");
}
