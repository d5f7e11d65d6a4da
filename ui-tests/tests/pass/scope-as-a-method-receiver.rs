//! `scope! { ... }.len()` and `scope! { ... }.iter().max()`: the block as
//! the receiver of method calls.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let text = "a bb ccc";
    let plain = (
        { text.split(' ').collect::<Vec<_>>() }.len(),
        { text.split(' ').map(str::len).collect::<Vec<_>>() }
            .iter()
            .max()
            .copied(),
    );
    let scoped = (
        scope! {
            let words = spawn "words" => |_please_stop| text.split(' ').collect::<Vec<_>>();
            words.join().unwrap()
        }
        .len(),
        scope! {
            let lengths = spawn "lengths" => |_please_stop| text.split(' ').map(str::len).collect::<Vec<_>>();
            lengths.join().unwrap()
        }
        .iter()
        .max()
        .copied(),
    );
    assert_eq!(plain, scoped);
    assert_eq!(scoped, (3, Some(3)));
}
