//! `return format!(...)` and `return String::new()` inside the block of a
//! fn returning `String`.
#![deny(warnings)]

use more_threads::prelude::*;

fn plain(words: &[&str]) -> String {
    {
        if words.is_empty() {
            return String::new();
        }
        if words.len() == 1 {
            return format!("just {}", words[0]);
        }
        words.join("+")
    }
}

fn scoped(words: &[&str]) -> String {
    scope! {
        let joined = spawn "join" => |_please_stop| words.join("+");
        if words.is_empty() {
            return String::new();
        }
        if words.len() == 1 {
            return format!("just {}", words[0]);
        }
        joined.join().unwrap()
    }
}

fn main() {
    for words in [&[][..], &["a"][..], &["a", "b"][..]] {
        assert_eq!(plain(words), scoped(words));
    }
}
