//! `while next_token(..)? != "end"`: a `?` in a loop's condition inside
//! the block acts on the fn.
#![deny(warnings)]

use more_threads::prelude::*;

fn next_token<'a>(tokens: &mut impl Iterator<Item = &'a str>) -> Option<&'a str> {
    tokens.next()
}

fn plain(text: &str) -> Option<usize> {
    let count = {
        let mut tokens = text.split(' ');
        let mut count = 0;
        while next_token(&mut tokens)? != "end" {
            count += 1;
        }
        count
    };
    Some(count)
}

fn scoped(text: &str) -> Option<usize> {
    let count = scope! {
        let words = spawn "words" => |_please_stop| text.split(' ').count();
        let mut tokens = text.split(' ');
        let mut count = 0;
        while next_token(&mut tokens)? != "end" {
            count += 1;
        }
        assert!(count < words.join().unwrap());
        count
    };
    Some(count)
}

fn main() {
    for text in ["a b end c", "a b"] {
        assert_eq!(plain(text), scoped(text));
    }
}
