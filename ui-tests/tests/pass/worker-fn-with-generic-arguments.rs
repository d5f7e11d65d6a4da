//! A `#[worker]` fn generic over its item type with a `where` clause, and
//! one taking `impl IntoIterator`, spawned with different types.
#![deny(warnings)]

use more_threads::prelude::*;
use std::fmt::Display;

#[worker]
fn render<T>(items: Vec<T>, separator: &'static str) -> String
where
    T: Display + Send,
{
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(separator)
}

#[worker]
fn count(items: impl IntoIterator<Item = char> + Send) -> usize {
    items.into_iter().filter(|c| c.is_alphabetic()).count()
}

fn main() {
    let (numbers, letters) = scope! {
        let numbers = spawn "numbers" => render(vec![1, 2, 3], "-");
        let words = spawn "words" => render(vec!["a", "b"], "+");
        let letters = spawn "letters" => count("a1b2c".chars());
        (numbers.join().unwrap() + &words.join().unwrap(), letters.join().unwrap())
    };
    assert_eq!(numbers, "1-2-3a+b");
    assert_eq!(letters, 3);
}
