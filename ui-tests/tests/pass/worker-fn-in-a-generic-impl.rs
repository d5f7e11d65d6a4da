//! `#[worker]` on methods of a generic `impl<T>` block, one borrowing
//! `&self`, one an associated fn taking a `T`.
#![deny(warnings)]

use more_threads::prelude::*;

struct Bag<T> {
    items: Vec<T>,
}

impl<T: Clone + Send + Sync + PartialEq> Bag<T> {
    #[worker]
    fn count_of(&self, wanted: T) -> usize {
        self.items.iter().filter(|item| **item == wanted).count()
    }

    #[worker]
    fn filled(value: T, times: usize) -> Vec<T> {
        vec![value; times]
    }
}

fn main() {
    let bag = Bag {
        items: vec!['a', 'b', 'a'],
    };
    let scoped = scope! {
        let count = spawn "count" => bag.count_of('a');
        let filled = spawn "fill" => Bag::filled("x", 2);
        (count.join().unwrap(), filled.join().unwrap())
    };
    assert_eq!(scoped, (2, vec!["x", "x"]));
}
