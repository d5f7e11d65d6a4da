//! The block ends with `collect::<HashMap<_, _>>()`: the type comes from
//! the turbofish, with no annotation on the `let`.
#![deny(warnings)]

use more_threads::prelude::*;
use std::collections::HashMap;

fn main() {
    let words = ["apple", "avocado", "banana"];
    let plain = {
        words
            .iter()
            .map(|w| (w.chars().next().unwrap(), w.len()))
            .collect::<HashMap<_, _>>()
    };
    let scoped = scope! {
        let pairs = spawn "pairs" => |_please_stop| words.iter().map(|w| (w.chars().next().unwrap(), w.len())).collect::<Vec<_>>();
        pairs.join().unwrap().into_iter().collect::<HashMap<_, _>>()
    };
    assert_eq!(plain, scoped);
    assert_eq!(scoped[&'a'], 7);
}
