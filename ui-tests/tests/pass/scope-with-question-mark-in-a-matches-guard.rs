//! `?` inside the guard of `matches!` (`matches!(x, Some(v) if v > limit?)`)
//! acts on the enclosing fn, as it does in a plain block.
#![deny(warnings)]

use more_threads::prelude::*;

fn plain(value: Option<u32>, limit: &str) -> Result<bool, std::num::ParseIntError> {
    let above = { matches!(value, Some(v) if v > limit.parse::<u32>()?) };
    Ok(above)
}

fn scoped(value: Option<u32>, limit: &str) -> Result<bool, std::num::ParseIntError> {
    let above = scope! {
        let doubled = spawn "copy" => move |_please_stop| value;
        matches!(doubled.join().unwrap(), Some(v) if v > limit.parse::<u32>()?)
    };
    Ok(above)
}

fn main() {
    for (value, limit) in [(Some(5), "3"), (Some(1), "3"), (None, "3"), (Some(5), "x")] {
        assert_eq!(plain(value, limit), scoped(value, limit));
    }
}
