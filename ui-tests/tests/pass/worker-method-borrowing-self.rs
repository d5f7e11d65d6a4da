//! `#[worker]` on methods taking `&self` and `&mut self` of a struct of the
//! user's: the workers borrow it, so they run inside a `scope!`.
#![deny(warnings)]

use more_threads::prelude::*;

struct Inventory {
    items: Vec<(String, u32)>,
}

impl Inventory {
    #[worker]
    fn total(&self) -> u32 {
        self.items.iter().map(|(_, count)| count).sum()
    }

    #[worker]
    fn restock(&mut self, extra: u32) {
        for (_, count) in &mut self.items {
            *count += extra;
        }
    }
}

fn main() {
    let mut inventory = Inventory {
        items: vec![("pen".to_owned(), 2), ("ink".to_owned(), 3)],
    };
    let before = scope! {
        let total = spawn "total" => inventory.total();
        total.join().unwrap()
    };
    scope! {
        spawn "restock" => inventory.restock(10);
    }
    let after = scope! {
        let total = spawn "total" => inventory.total();
        total.join().unwrap()
    };
    assert_eq!((before, after), (5, 25));
}
