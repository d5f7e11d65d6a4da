//! `scope! { ... }?`: the block's `Result` value is a value, and the `?`
//! written after the block (not inside it) acts on the fn as usual.
#![deny(warnings)]

use more_threads::prelude::*;
use std::num::ParseIntError;

fn plain(text: &str) -> Result<u64, ParseIntError> {
    let value = { text.trim().parse::<u64>() }?;
    Ok(value * 2)
}

fn scoped(text: &str) -> Result<u64, ParseIntError> {
    let value = scope! {
        let trimmed = spawn "trim" => |_please_stop| text.trim();
        trimmed.join().unwrap().parse::<u64>()
    }?;
    Ok(value * 2)
}

fn main() {
    for text in [" 21 ", "x"] {
        assert_eq!(plain(text), scoped(text));
    }
}
