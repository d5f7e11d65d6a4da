//! A block whose value is a `Result` (an `Err` too) is a value like any
//! other: handled after the block with `match`, not returned from the fn.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    for text in ["12", "twelve"] {
        let plain: Result<u8, String> = { text.parse::<u8>().map_err(|e| e.to_string()) };
        let scoped: Result<u8, String> = scope! {
            let trimmed = spawn "trim" => move |_please_stop| text.trim();
            trimmed.join().unwrap().parse::<u8>().map_err(|e| e.to_string())
        };
        let described = match &scoped {
            Ok(n) => format!("number {n}"),
            Err(e) => format!("error {e}"),
        };
        assert_eq!(plain, scoped);
        assert!(described.starts_with(if text == "12" { "number" } else { "error" }));
    }
}
