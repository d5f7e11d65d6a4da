//! `break value` from a block inside `loop`: the loop evaluates to the
//! value, once the block's children have finished.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let mut attempt = 0_u32;
    let plain = loop {
        attempt += 1;
        {
            let square = attempt * attempt;
            if square > 50 {
                break square;
            }
        }
    };
    let mut attempt = 0_u32;
    let scoped = loop {
        attempt += 1;
        scope! {
            let square = spawn "square" => move |_please_stop| attempt * attempt;
            let square = square.join().unwrap();
            if square > 50 {
                break square;
            }
        }
    };
    assert_eq!(plain, scoped);
    assert_eq!(scoped, 64);
}
