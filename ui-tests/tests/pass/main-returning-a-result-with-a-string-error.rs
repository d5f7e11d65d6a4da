//! `#[more_threads::main]` on a main returning `Result<(), String>`, with
//! `map_err(..)?` inside a block.
#![deny(warnings)]

use more_threads::prelude::*;

#[more_threads::main]
fn main() -> Result<(), String> {
    let text = "8";
    let value = scope! {
        let parsed = spawn "parse" => |_please_stop| text.parse::<u32>();
        parsed.join().map_err(|e| e.to_string())? * 2
    };
    if value != 16 {
        return Err(format!("expected 16, got {value}"));
    }
    Ok(())
}
