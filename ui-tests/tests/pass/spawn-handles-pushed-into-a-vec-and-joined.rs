//! Handles pushed into a `Vec` in a `while` loop and joined in a second
//! loop whose `?` converts the children's failures.
#![deny(warnings)]

use more_threads::prelude::*;

fn lengths(words: &[&str]) -> Result<Vec<usize>, ThreadError> {
    scope! {
        let mut handles = Vec::with_capacity(words.len());
        let mut index = 0;
        while index < words.len() {
            let word = words[index];
            handles.push(spawn format!("word-{index}") => move |_please_stop| word.len());
            index += 1;
        }
        let mut lengths = Vec::new();
        for handle in handles {
            lengths.push(handle.join()?);
        }
        Ok(lengths)
    }
}

fn main() {
    let words = ["one", "three", ""];
    let plain: Vec<usize> = words.iter().map(|w| w.len()).collect();
    assert_eq!(lengths(&words).unwrap(), plain);
}
