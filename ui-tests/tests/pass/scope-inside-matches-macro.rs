//! `matches!(scope! { ... }, Some(n) if n > 2)`: the block as the
//! scrutinee of `matches!`, with a guard.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let values = [5_u32, 1, 4];
    let plain = matches!({ values.iter().copied().max() }, Some(n) if n > 2);
    let scoped = matches!(scope! {
        let max = spawn "max" => |_please_stop| values.iter().copied().max();
        max.join().unwrap()
    }, Some(n) if n > 2);
    assert_eq!(plain, scoped);
    assert!(scoped);
}
