//! `thread_local!` declared inside the block: each child sees its own copy
//! of the cell, the block's thread its own.
#![deny(warnings)]

use more_threads::prelude::*;
use std::cell::Cell;

fn main() {
    let scoped = scope! {
        thread_local! {
            static CALLS: Cell<u32> = const { Cell::new(0) };
        }
        let bump = || CALLS.with(|calls| {
            calls.set(calls.get() + 1);
            calls.get()
        });
        let handles: Vec<_> = (0..3).map(|i| spawn format!("bump-{i}") => move |_please_stop| bump()).collect();
        let mut seen: Vec<u32> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        seen.push(bump());
        seen.push(bump());
        seen
    };
    assert_eq!(scoped, [1, 1, 1, 1, 2]);
}
