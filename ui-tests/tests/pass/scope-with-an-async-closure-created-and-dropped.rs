//! An `async` closure with an expression body (`async |x| f(x).await`)
//! created inside the block, called to make a future that is dropped
//! unpolled: its `.await` is its own, and the spawns after it are the DSL's.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let base = 2_u32;
    let plain = {
        let add = async |x: u32| std::future::ready(x + base).await;
        let pending = add(1);
        drop(pending);
        base * 2
    };
    let scoped = scope! {
        let add = async |x: u32| std::future::ready(x + base).await;
        let pending = add(1);
        drop(pending);
        let doubled = spawn "double" => move |_please_stop| base * 2;
        doubled.join().unwrap()
    };
    assert_eq!(plain, scoped);
}
