//! `while scope! { ... } { ... }` and `if scope! { ... } { ... }`: the block
//! as the condition of a loop and of an `if`.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let mut plain = vec![9_u32, 7, 5];
    while {
        let last = plain.last().copied();
        last.is_some_and(|v| v > 6)
    } {
        plain.pop();
    }
    let mut scoped = vec![9_u32, 7, 5];
    while scope! {
        let last = spawn "last" => |_please_stop| scoped.last().copied();
        last.join().unwrap().is_some_and(|v| v > 6)
    } {
        scoped.pop();
    }
    assert_eq!(plain, [9, 7, 5]);
    assert_eq!(plain, scoped);
    let mut halving = vec![1_u32, 2, 8];
    while scope! {
        let last = spawn "last" => |_please_stop| halving.last().copied();
        last.join().unwrap().is_some_and(|v| v > 1)
    } {
        halving.pop();
    }
    assert_eq!(halving, [1]);
    if scope! {
        let empty = spawn "empty" => |_please_stop| scoped.is_empty();
        !empty.join().unwrap()
    } {
        scoped.clear();
    }
    assert!(scoped.is_empty());
}
