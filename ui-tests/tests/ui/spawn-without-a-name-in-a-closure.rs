use more_threads::prelude::*;

fn main() {
    let names = ["a", "bb"];
    let lengths: Vec<usize> = scope! {
        let handles: Vec<_> = names.iter().map(|n| spawn move |_please_stop| n.len()).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    };
    println!("{lengths:?}");
}
