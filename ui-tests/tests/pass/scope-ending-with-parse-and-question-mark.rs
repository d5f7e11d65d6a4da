//! The block ends with `.parse()?`, the target type coming from the fn's
//! `Ok(...)` and the error returned from the fn.
#![deny(warnings)]

use more_threads::prelude::*;
use std::num::ParseIntError;

fn plain(text: &str) -> Result<u16, ParseIntError> {
    let value = { text.trim().parse()? };
    Ok(value)
}

fn scoped(text: &str) -> Result<u16, ParseIntError> {
    let value = scope! {
        let trimmed = spawn "trim" => |_please_stop| text.trim();
        trimmed.join().unwrap().parse()?
    };
    Ok(value)
}

fn main() {
    for text in [" 80 ", "70000", "x"] {
        assert_eq!(plain(text), scoped(text));
    }
}
