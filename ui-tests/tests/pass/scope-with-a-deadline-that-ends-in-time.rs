//! `#![deadline = DURATION]`: a scope that ends in time is `Ok` of its block's
//! value, as it is (here a `Result` of the user's, which is not flattened).
#![deny(warnings)]

use more_threads::prelude::*;
use std::num::ParseIntError;
use std::time::Duration;

fn main() -> Result<(), ThreadError> {
    let text = " 21 ";
    let parsed: Result<u64, ParseIntError> = scope! {
        #![deadline = Duration::from_secs(600)]
        let trimmed = spawn "trim" => |_please_stop| text.trim();
        trimmed.join()?.parse::<u64>()
    }?;
    assert_eq!(parsed, Ok(21));
    Ok(())
}
