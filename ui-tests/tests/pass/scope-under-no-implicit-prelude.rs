//! `#![no_implicit_prelude]`: the expansions name everything by full path,
//! so they build without the prelude, as the user's code does.
#![deny(warnings)]
#![no_implicit_prelude]

use ::more_threads::prelude::*;

fn parse(text: &str) -> ::std::result::Result<u32, ::std::num::ParseIntError> {
    let value = scope! {
        let trimmed = spawn "trim" => |_please_stop| text.trim();
        let value: u32 = trimmed.join().unwrap().parse()?;
        if value == 0 {
            return ::std::result::Result::Ok(1);
        }
        value
    };
    ::std::result::Result::Ok(value)
}

fn main() {
    ::std::assert_eq!(parse(" 7 "), ::std::result::Result::Ok(7));
    ::std::assert_eq!(parse("0"), ::std::result::Result::Ok(1));
    ::std::assert!(parse("x").is_err());
}
