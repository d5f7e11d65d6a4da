//! `scope! {}` and a block holding only an item: both are `()`, as the
//! same plain blocks are.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let plain_empty = {};
    let empty = scope! {};
    assert_eq!(plain_empty, empty);
    let plain_item = {
        #[allow(dead_code)]
        struct Unused;
    };
    let item = scope! {
        #[allow(dead_code)]
        struct Unused;
    };
    assert_eq!(plain_item, item);
}
