//! `?`, `break` and `continue` inside a block with a policy act on the
//! enclosing fn and loop once every child has ended, as in a plain block,
//! when nothing settled the scope before they were taken.
#![deny(warnings)]

use more_threads::prelude::*;
use std::num::ParseIntError;

fn sum_until_stop(words: &[&str]) -> Result<u64, ParseIntError> {
    let mut total = 0;
    for word in words {
        let parsed = scope! {
            #![deadline = Till::seconds(600.0)]
            if word.is_empty() {
                continue;
            }
            if *word == "stop" {
                break;
            }
            let trimmed = spawn "trim" => |_please_stop| word.trim();
            trimmed.join().unwrap().parse::<u64>()?
        };
        total += parsed.unwrap();
    }
    Ok(total)
}

fn main() {
    assert_eq!(sum_until_stop(&["1", "", " 2", "stop", "9"]), Ok(3));
    assert!(sum_until_stop(&["x"]).is_err());
}
