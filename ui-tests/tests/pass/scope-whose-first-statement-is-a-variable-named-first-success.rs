//! A block whose first statement is a variable named `first_success` (a
//! path statement: it moves the value, dropped there) keeps it, as a plain
//! block does, and is no race: scope!'s options are inner attributes
//! (`#![first_success]`), which no statement is.
#![deny(warnings)]
// rustc warns of a path statement in a plain block as in scope!.
#![allow(path_statements)]

use more_threads::prelude::*;
use std::cell::Cell;

/// Counts its drops.
struct Ticket<'a>(&'a Cell<u32>);

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

fn main() {
    let dropped = Cell::new(0);
    let first_success = Ticket(&dropped);
    let plain = {
        first_success;
        dropped.get()
    };
    let first_success = Ticket(&dropped);
    let scoped = scope! {
        first_success;
        let answer = spawn "answer" => |_please_stop| 40_u32;
        dropped.get() + answer.join().unwrap()
    };
    assert_eq!(plain, 1);
    assert_eq!(scoped, 42);
}
