//! A `&mut self` method returning `&mut u32` into `self`, with a `return`
//! inside the block and the block's value both borrowing from `self`.
#![deny(warnings)]

use more_threads::prelude::*;

#[derive(Debug, PartialEq)]
struct Counters {
    hits: u32,
    misses: u32,
}

impl Counters {
    fn plain_slot(&mut self, hit: bool) -> &mut u32 {
        {
            if hit {
                return &mut self.hits;
            }
            &mut self.misses
        }
    }

    fn slot(&mut self, hit: bool) -> &mut u32 {
        scope! {
            let checked = spawn "check" => move |_please_stop| hit;
            if checked.join().unwrap() {
                return &mut self.hits;
            }
            &mut self.misses
        }
    }
}

fn main() {
    let mut plain = Counters { hits: 0, misses: 0 };
    let mut scoped = Counters { hits: 0, misses: 0 };
    for hit in [true, false, true] {
        *plain.plain_slot(hit) += 1;
        *scoped.slot(hit) += 1;
    }
    assert_eq!(plain, scoped);
}
