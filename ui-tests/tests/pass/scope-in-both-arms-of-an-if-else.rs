//! Two `scope!` blocks as the arms of an `if`/`else`, each ending with a
//! value of the same type: the `if` has that type, as with plain blocks.
#![deny(warnings)]

use more_threads::prelude::*;

fn plain(words: &[&str], longest: bool) -> usize {
    if longest {
        words.iter().map(|w| w.len()).max().unwrap_or(0)
    } else {
        words.iter().map(|w| w.len()).min().unwrap_or(0)
    }
}

fn scoped(words: &[&str], longest: bool) -> usize {
    if longest {
        scope! {
            let max = spawn "max" => |_please_stop| words.iter().map(|w| w.len()).max();
            max.join().unwrap().unwrap_or(0)
        }
    } else {
        scope! {
            let min = spawn "min" => |_please_stop| words.iter().map(|w| w.len()).min();
            min.join().unwrap().unwrap_or(0)
        }
    }
}

fn main() {
    let words = ["a", "threads", "tree"];
    for longest in [true, false] {
        assert_eq!(plain(&words, longest), scoped(&words, longest));
    }
    assert_eq!(scoped(&[], true), 0);
}
