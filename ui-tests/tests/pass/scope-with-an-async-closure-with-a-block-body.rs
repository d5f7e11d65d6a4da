//! An `async move` closure with a block body created inside the block and
//! dropped unpolled: the `.await` in its body is its own.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let base = 2_u32;
    let plain = {
        let add = async move |x: u32| std::future::ready(x + base).await;
        drop(add(1));
        base * 2
    };
    let scoped = scope! {
        let add = async move |x: u32| { std::future::ready(x + base).await };
        drop(add(1));
        let doubled = spawn "double" => move |_please_stop| base * 2;
        doubled.join().unwrap()
    };
    assert_eq!(plain, scoped);
}
