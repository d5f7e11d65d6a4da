//! A `static` whose `LazyLock` initialiser is a `scope!` block: it runs on
//! first access, with children computing the table.
#![deny(warnings)]

use more_threads::prelude::*;
use std::sync::LazyLock;

static SQUARES: LazyLock<Vec<u64>> = LazyLock::new(|| {
    scope! {
        let handles: Vec<_> = (0..5_u64).map(|n| spawn format!("square-{n}") => move |_please_stop| n * n).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    }
});

static PLAIN: LazyLock<Vec<u64>> = LazyLock::new(|| (0..5_u64).map(|n| n * n).collect());

fn main() {
    assert_eq!(*SQUARES, *PLAIN);
    assert_eq!(SQUARES[4], 16);
}
