//! The block ends with a `match` on a child's value, with guards, bindings
//! and a wildcard arm.
#![deny(warnings)]

use more_threads::prelude::*;

fn plain(text: &str) -> &'static str {
    match text.len() {
        0 => "empty",
        n if n < 4 => "short",
        4..=8 => "medium",
        _ => "long",
    }
}

fn scoped(text: &str) -> &'static str {
    scope! {
        let length = spawn "length" => |_please_stop| text.len();
        match length.join().unwrap() {
            0 => "empty",
            n if n < 4 => "short",
            4..=8 => "medium",
            _ => "long",
        }
    }
}

fn main() {
    for text in ["", "abc", "abcdef", "abcdefghijk"] {
        assert_eq!(plain(text), scoped(text));
    }
}
