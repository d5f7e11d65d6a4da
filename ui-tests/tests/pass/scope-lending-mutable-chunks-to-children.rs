//! Each child gets its own `&mut` chunk (`chunks_mut`, `split_at_mut`) and
//! writes into it; the vector is read after the block.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let mut plain: Vec<u32> = (0..9).collect();
    for chunk in plain.chunks_mut(3) {
        for value in chunk.iter_mut() {
            *value *= 2;
        }
    }
    let mut scoped: Vec<u32> = (0..9).collect();
    scope! {
        for (index, chunk) in scoped.chunks_mut(3).enumerate() {
            spawn format!("double-{index}") => move |_please_stop| {
                for value in chunk.iter_mut() {
                    *value *= 2;
                }
            };
        }
    }
    assert_eq!(plain, scoped);
    let (left, right) = scoped.split_at_mut(4);
    scope! {
        spawn "left" => |_please_stop| left.fill(1);
        spawn "right" => |_please_stop| right.fill(2);
    }
    assert_eq!(scoped, [1, 1, 1, 1, 2, 2, 2, 2, 2]);
}
