//! A fn with a lifetime parameter returns a `&'a str` borrowed from its
//! arguments, both from a `return` in the block and as the block's value.
#![deny(warnings)]

use more_threads::prelude::*;

fn plain<'a>(first: &'a str, second: &'a str) -> &'a str {
    {
        if first.is_empty() {
            return second;
        }
        if first.len() >= second.len() {
            first
        } else {
            second
        }
    }
}

fn scoped<'a>(first: &'a str, second: &'a str) -> &'a str {
    scope! {
        if first.is_empty() {
            return second;
        }
        let a = spawn "first" => |_please_stop| first.len();
        let b = spawn "second" => |_please_stop| second.len();
        if a.join().unwrap() >= b.join().unwrap() { first } else { second }
    }
}

fn main() {
    let owned = String::from("longer one");
    for (a, b) in [("", "x"), ("abc", "de"), ("a", owned.as_str())] {
        assert_eq!(plain(a, b), scoped(a, b));
    }
}
