//! The block's value is a `&mut` borrowed from a local of the fn (the
//! longer of two vectors); it is written through after the block.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let mut short = vec![1_u8];
    let mut long = vec![1_u8, 2, 3];
    let target: &mut Vec<u8> = {
        if short.len() > long.len() {
            &mut short
        } else {
            &mut long
        }
    };
    target.push(4);
    let (mut short2, mut long2) = (vec![1_u8], vec![1_u8, 2, 3]);
    let target2: &mut Vec<u8> = scope! {
        let lengths = spawn "lengths" => |_please_stop| 2_usize;
        assert_eq!(lengths.join().unwrap(), 2);
        if short2.len() > long2.len() { &mut short2 } else { &mut long2 }
    };
    target2.push(4);
    assert_eq!((short, long), (short2, long2));
}
