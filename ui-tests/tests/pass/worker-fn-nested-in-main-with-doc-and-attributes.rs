//! A `#[worker]` fn declared inside `main`, with a doc comment and an
//! `#[inline]` attribute: attributes are kept, nothing warns.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    /// Counts the vowels of a text.
    #[inline]
    #[worker]
    fn vowels(text: &str) -> usize {
        text.chars().filter(|c| "aeiou".contains(*c)).count()
    }

    let text = "structured concurrency";
    let plain = text.chars().filter(|c| "aeiou".contains(*c)).count();
    let scoped = scope! {
        let counted = spawn "vowels" => vowels(text);
        counted.join().unwrap()
    };
    assert_eq!(plain, scoped);
}
