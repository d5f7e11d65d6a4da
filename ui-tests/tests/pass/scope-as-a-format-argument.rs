//! `format!("{} ...", scope! { ... })`: the block as an argument of a
//! formatting macro, its value formatted as a plain block's is.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let items = [3_u8, 4, 5];
    let plain = format!("{} items, total {}", items.len(), {
        items.iter().map(|&i| u32::from(i)).sum::<u32>()
    });
    let scoped = format!(
        "{} items, total {}",
        items.len(),
        scope! {
            let total = spawn "total" => |_please_stop| items.iter().map(|&i| u32::from(i)).sum::<u32>();
            total.join().unwrap()
        }
    );
    assert_eq!(plain, scoped);
    assert_eq!(scoped, "3 items, total 12");
}
