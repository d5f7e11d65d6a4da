//! A fn returning `Option<impl Fn(u32) -> u32>`: `?` in the block, whose
//! value is `Some(move |x| x * factor)`, the closure's parameter typed by
//! the fn's return type.
#![deny(warnings)]

use more_threads::prelude::*;

fn plain(text: &str) -> Option<impl Fn(u32) -> u32> {
    {
        let factor: u32 = text.parse().ok()?;
        Some(move |x| x * factor)
    }
}

fn scoped(text: &str) -> Option<impl Fn(u32) -> u32> {
    scope! {
        let trimmed = spawn "trim" => |_please_stop| text.trim();
        let factor: u32 = trimmed.join().unwrap().parse().ok()?;
        Some(move |x| x * factor)
    }
}

fn main() {
    assert_eq!(plain("3").map(|f| f(5)), scoped("3").map(|f| f(5)));
    assert!(scoped("x").is_none());
    assert!(plain("x").is_none());
}
