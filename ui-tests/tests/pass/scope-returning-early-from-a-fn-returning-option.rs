//! `return None` and `return Some(...)` inside the block of a fn returning
//! `Option<usize>`.
#![deny(warnings)]

use more_threads::prelude::*;

fn plain(haystack: &str, needle: char) -> Option<usize> {
    {
        if haystack.is_empty() {
            return None;
        }
        if haystack.starts_with(needle) {
            return Some(0);
        }
        haystack.find(needle)
    }
}

fn scoped(haystack: &str, needle: char) -> Option<usize> {
    scope! {
        let found = spawn "find" => move |_please_stop| haystack.find(needle);
        if haystack.is_empty() {
            return None;
        }
        if haystack.starts_with(needle) {
            return Some(0);
        }
        found.join().unwrap()
    }
}

fn main() {
    for (haystack, needle) in [("", 'a'), ("abc", 'a'), ("abc", 'c'), ("abc", 'z')] {
        assert_eq!(plain(haystack, needle), scoped(haystack, needle));
    }
}
