//! `?` on an `Option` in the block of a fn returning `Option`: `None`
//! returns `None` from the fn, after the children.
#![deny(warnings)]

use more_threads::prelude::*;

fn plain(names: &[&str], index: usize) -> Option<char> {
    let initial = {
        let name = names.get(index)?;
        name.chars().next()?.to_ascii_uppercase()
    };
    Some(initial)
}

fn scoped(names: &[&str], index: usize) -> Option<char> {
    let initial = scope! {
        let count = spawn "count" => |_please_stop| names.len();
        let name = names.get(index)?;
        assert_eq!(count.join().unwrap(), names.len());
        name.chars().next()?.to_ascii_uppercase()
    };
    Some(initial)
}

fn main() {
    let names = ["ada", "", "grace"];
    for index in 0..4 {
        assert_eq!(plain(&names, index), scoped(&names, index));
    }
}
