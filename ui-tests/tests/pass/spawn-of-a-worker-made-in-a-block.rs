//! `spawn NAME => { let ...; move |please_stop| ... }`: the worker is the
//! value of a block that prepares what the closure moves in.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let words = ["a", "bb", "ccc"];
    let scoped = scope! {
        let total = spawn "total" => {
            let lengths: Vec<usize> = words.iter().map(|w| w.len()).collect();
            move |_please_stop: &Signal| lengths.iter().sum::<usize>()
        };
        total.join().unwrap()
    };
    assert_eq!(scoped, { words.concat().len() });
}
