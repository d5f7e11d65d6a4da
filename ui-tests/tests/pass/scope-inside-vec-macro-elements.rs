//! `vec![scope! { ... }, scope! { ... }]`: blocks as the elements of a
//! `vec!`, each its own scope.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let text = "one two three";
    let plain = vec![{ text.split(' ').count() }, { text.len() }];
    let scoped = vec![
        scope! {
            let words = spawn "words" => |_please_stop| text.split(' ').count();
            words.join().unwrap()
        },
        scope! {
            let bytes = spawn "bytes" => |_please_stop| text.len();
            bytes.join().unwrap()
        },
    ];
    assert_eq!(plain, scoped);
}
