//! `format!("{n}", n = text.parse::<u32>()?)`: `?` in a named argument of a
//! formatting macro acts on the enclosing fn.
#![deny(warnings)]

use more_threads::prelude::*;
use std::num::ParseIntError;

fn plain(text: &str) -> Result<String, ParseIntError> {
    let line = { format!("{n} items ({text})", n = text.parse::<u32>()?) };
    Ok(line)
}

fn scoped(text: &str) -> Result<String, ParseIntError> {
    let line = scope! {
        let trimmed = spawn "trim" => |_please_stop| text.trim();
        let trimmed = trimmed.join().unwrap();
        format!("{n} items ({text})", n = trimmed.parse::<u32>()?)
    };
    Ok(line)
}

fn main() {
    for text in ["3", "x"] {
        assert_eq!(plain(text), scoped(text));
    }
}
