//! `#[more_threads::main]` on a main returning `Result<(), Box<dyn Error>>`:
//! `?` converts a parse error and a `ThreadError` inside the block.
#![deny(warnings)]

use more_threads::prelude::*;
use std::error::Error;

#[more_threads::main]
fn main() -> Result<(), Box<dyn Error>> {
    let input = "12";
    let doubled = scope! {
        let parsed = spawn "parse" => |_please_stop| input.parse::<u32>();
        let value = parsed.join()?;
        let extra: u32 = "30".parse()?;
        value * 2 + extra
    };
    assert_eq!(doubled, 54);
    Ok(())
}
