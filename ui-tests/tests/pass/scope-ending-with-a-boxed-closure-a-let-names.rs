//! A block ending with `Box::new(move |x| x + offset)` under a `let` that
//! names `Box<dyn Fn(u32) -> u32>`: the closure's parameter type comes from
//! the expected type, as in a plain block.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let base = [1_u32, 2];
    let plain: Box<dyn Fn(u32) -> u32> = {
        let offset: u32 = base.iter().sum();
        Box::new(move |x| x + offset)
    };
    let scoped: Box<dyn Fn(u32) -> u32> = scope! {
        let offset = spawn "offset" => |_please_stop| base.iter().sum::<u32>();
        let offset = offset.join().unwrap();
        Box::new(move |x| x + offset)
    };
    assert_eq!(plain(10), scoped(10));
}
