//! The block's value is a `&str` borrowed from data the fn was lent, found
//! by children: it outlives the block.
#![deny(warnings)]

use more_threads::prelude::*;

fn longest<'a>(words: &'a [String]) -> Option<&'a str> {
    let (left, right) = words.split_at(words.len() / 2);
    let best: Option<&'a str> = scope! {
        let left = spawn "left" => |_please_stop| left.iter().max_by_key(|w| w.len()).map(String::as_str);
        let right = spawn "right" => |_please_stop| right.iter().max_by_key(|w| w.len()).map(String::as_str);
        match (left.join().unwrap(), right.join().unwrap()) {
            (Some(a), Some(b)) => Some(if b.len() > a.len() { b } else { a }),
            (a, b) => a.or(b),
        }
    };
    best
}

fn main() {
    let words: Vec<String> = ["tree", "threads", "of"].map(String::from).to_vec();
    let plain = words.iter().max_by_key(|w| w.len()).map(String::as_str);
    assert_eq!(plain, longest(&words));
    assert_eq!(longest(&[]), None);
}
