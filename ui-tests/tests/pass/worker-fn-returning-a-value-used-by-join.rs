//! A `#[worker]` fn returning a `Vec<(String, usize)>`: the join hands the
//! value back as it is, used after the block.
#![deny(warnings)]

use more_threads::prelude::*;

#[worker]
fn word_lengths(text: &str) -> Vec<(String, usize)> {
    text.split_whitespace()
        .map(|word| (word.to_owned(), word.len()))
        .collect()
}

fn main() {
    let text = "the tree of threads";
    let plain: Vec<(String, usize)> = text
        .split_whitespace()
        .map(|word| (word.to_owned(), word.len()))
        .collect();
    let scoped = scope! {
        let lengths = spawn "lengths" => word_lengths(text);
        lengths.join().unwrap()
    };
    assert_eq!(plain, scoped);
    assert_eq!(scoped[3], ("threads".to_owned(), 7));
}
