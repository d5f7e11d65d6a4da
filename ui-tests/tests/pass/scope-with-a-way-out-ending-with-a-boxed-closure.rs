//! A block with an early `return` whose value is `Box::new(move |x| ...)`
//! under a `let` naming `Box<dyn Fn(u32) -> u32>`: the expected type gives
//! the closure's parameter type.
#![deny(warnings)]

use more_threads::prelude::*;

fn plain(offset: Option<u32>) -> u32 {
    let add: Box<dyn Fn(u32) -> u32> = {
        let Some(offset) = offset else {
            return 0;
        };
        Box::new(move |x| x + offset)
    };
    add(10)
}

fn scoped(offset: Option<u32>) -> u32 {
    let add: Box<dyn Fn(u32) -> u32> = scope! {
        let copied = spawn "copy" => move |_please_stop| offset;
        let Some(offset) = copied.join().unwrap() else {
            return 0;
        };
        Box::new(move |x| x + offset)
    };
    add(10)
}

fn main() {
    for offset in [None, Some(5)] {
        assert_eq!(plain(offset), scoped(offset));
    }
}
