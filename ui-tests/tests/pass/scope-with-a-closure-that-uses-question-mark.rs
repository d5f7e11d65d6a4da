//! A closure inside the block with its own `?` (on `Option` and `Result`):
//! it leaves the closure, never the enclosing fn.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let inputs = ["1", "x", "22"];
    let parse =
        |text: &str| -> Result<u32, std::num::ParseIntError> { Ok(text.parse::<u32>()? * 2) };
    let plain: (Vec<Option<u32>>, usize) = {
        let first_digit = |text: &str| -> Option<u32> { text.chars().next()?.to_digit(10) };
        (
            inputs.iter().map(|t| first_digit(t)).collect(),
            inputs.iter().filter(|t| parse(t).is_ok()).count(),
        )
    };
    let scoped: (Vec<Option<u32>>, usize) = scope! {
        let first_digit = |text: &str| -> Option<u32> { text.chars().next()?.to_digit(10) };
        let ok = spawn "ok" => |_please_stop| inputs.iter().filter(|t| parse(t).is_ok()).count();
        (inputs.iter().map(|t| first_digit(t)).collect(), ok.join().unwrap())
    };
    assert_eq!(plain, scoped);
    assert_eq!(scoped, (vec![Some(1), None, Some(2)], 2));
}
