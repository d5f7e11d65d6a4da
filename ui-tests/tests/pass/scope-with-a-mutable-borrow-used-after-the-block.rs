//! A `&mut Vec` of the fn written through inside the block and again after
//! it: the block's borrow ends with the block.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let mut plain = vec![1_u32];
    let buffer = &mut plain;
    {
        buffer.push(2);
    }
    buffer.push(3);
    let mut scoped = vec![1_u32];
    let buffer = &mut scoped;
    scope! {
        let next = spawn "next" => |_please_stop| 2_u32;
        buffer.push(next.join().unwrap());
    }
    buffer.push(3);
    assert_eq!(plain, scoped);
}
