//! The block's value type is written only on the `let`
//! (`let names: Vec<String> = scope! { ... .collect() }`) and on a fn's
//! return type, never inside the block.
#![deny(warnings)]

use more_threads::prelude::*;
use std::collections::BTreeSet;

fn unique(words: &[&str]) -> BTreeSet<String> {
    scope! {
        let lowered = spawn "lower" => |_please_stop| words.iter().map(|w| w.to_lowercase()).collect::<Vec<_>>();
        lowered.join().unwrap().into_iter().collect()
    }
}

fn main() {
    let words = ["B", "a", "b"];
    let plain: Vec<String> = { words.iter().map(|w| w.repeat(2)).collect() };
    let scoped: Vec<String> = scope! {
        spawn "idle" => |_please_stop| ();
        words.iter().map(|w| w.repeat(2)).collect()
    };
    assert_eq!(plain, scoped);
    let expected: BTreeSet<String> = ["a".to_owned(), "b".to_owned()].into();
    assert_eq!(unique(&words), expected);
}
