//! `let Range { start, end } = scope! { ... };`: the block's struct value
//! is destructured by the `let` pattern.
#![deny(warnings)]

use more_threads::prelude::*;
use std::ops::Range;

fn main() {
    let text = "  padded  ";
    let Range { start: a, end: b } = {
        let start = text.len() - text.trim_start().len();
        start..start + text.trim().len()
    };
    let Range { start, end } = scope! {
        let leading = spawn "leading" => |_please_stop| text.len() - text.trim_start().len();
        let start = leading.join().unwrap();
        start..start + text.trim().len()
    };
    assert_eq!((a, b), (start, end));
    assert_eq!(&text[start..end], "padded");
}
