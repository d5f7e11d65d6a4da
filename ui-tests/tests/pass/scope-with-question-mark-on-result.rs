//! `?` on a `Result` in the block: an `Err` returns it from the fn once the
//! children have finished; an `Ok` gives its value.
#![deny(warnings)]

use more_threads::prelude::*;
use std::num::ParseIntError;

fn plain(fields: &[&str]) -> Result<i64, ParseIntError> {
    let total = {
        let first: i64 = fields[0].parse()?;
        let rest: i64 = fields[1..].iter().map(|f| f.len() as i64).sum();
        first + rest
    };
    Ok(total)
}

fn scoped(fields: &[&str]) -> Result<i64, ParseIntError> {
    let total = scope! {
        let rest = spawn "rest" => |_please_stop| fields[1..].iter().map(|f| f.len() as i64).sum::<i64>();
        let first: i64 = fields[0].parse()?;
        first + rest.join().unwrap()
    };
    Ok(total)
}

fn main() {
    assert_eq!(plain(&["40", "ab"]), scoped(&["40", "ab"]));
    assert_eq!(scoped(&["40", "ab"]), Ok(42));
    assert_eq!(plain(&["x", "ab"]), scoped(&["x", "ab"]));
}
