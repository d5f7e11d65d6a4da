//! `spawn` inside an iterator's `map`, the handles collected into a `Vec`
//! with `collect()` and joined in order afterwards.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let words = ["alpha", "be", "gamma!"];
    let plain: Vec<usize> = words.iter().map(|w| w.len()).collect();
    let scoped: Vec<usize> = scope! {
        let handles: Vec<_> = words
            .iter()
            .enumerate()
            .map(|(index, word)| spawn format!("len-{index}") => move |_please_stop| word.len())
            .collect();
        handles.into_iter().map(|handle| handle.join().unwrap()).collect()
    };
    assert_eq!(plain, scoped);
}
