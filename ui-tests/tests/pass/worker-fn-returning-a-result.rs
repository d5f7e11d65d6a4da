//! A `#[worker]` fn returning `Result<_, E>` that uses `?` in its body: its
//! `Ok` is the join's value, its `Err` the child's failure.
#![deny(warnings)]

use more_threads::prelude::*;
use std::num::ParseIntError;

#[worker]
fn sum_fields(line: &str) -> Result<i64, ParseIntError> {
    let mut total = 0;
    for field in line.split(',') {
        total += field.trim().parse::<i64>()?;
    }
    Ok(total)
}

fn main() {
    let good = "1, 2, 3";
    let bad = "1, x";
    let (ok, failed) = scope! {
        let ok = spawn "good" => sum_fields(good);
        let failed = spawn "bad" => sum_fields(bad);
        (ok.join(), failed.join())
    };
    assert_eq!(ok.unwrap(), 6);
    let error = failed.unwrap_err();
    assert!(format!("{error:#}").contains("invalid digit"), "{error:#}");
}
