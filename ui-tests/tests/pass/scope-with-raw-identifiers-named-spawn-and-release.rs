//! Raw identifiers `r#spawn` and `r#release` stay the user's variables,
//! even where `spawn NAME =>` could begin.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let r#spawn = 3_u32;
    let r#release = 4_u32;
    let plain = { r#spawn * r#release };
    let scoped = scope! {
        let product = spawn "product" => move |_please_stop| r#spawn * r#release;
        let r#spawn = product.join().unwrap();
        r#spawn
    };
    assert_eq!(plain, scoped);
}
