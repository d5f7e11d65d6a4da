//! `match scope! { ... } { ... }`: the block's value is matched on,
//! with tuple patterns.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let text = "3,4";
    let plain = match {
        let (a, b) = text.split_once(',').unwrap();
        (a.parse::<i32>(), b.parse::<i32>())
    } {
        (Ok(a), Ok(b)) => a * b,
        _ => -1,
    };
    let scoped = match scope! {
        let (a, b) = text.split_once(',').unwrap();
        let a = spawn "a" => |_please_stop| a.parse::<i32>();
        let b = spawn "b" => |_please_stop| b.parse::<i32>();
        (a.join(), b.join())
    } {
        (Ok(a), Ok(b)) => a * b,
        _ => -1,
    };
    assert_eq!(plain, scoped);
    assert_eq!(scoped, 12);
}
