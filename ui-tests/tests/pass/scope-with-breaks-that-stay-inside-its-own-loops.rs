//! `break`, `continue` and `break value` aimed at loops written inside the
//! block stay there: they are ordinary control flow of the block.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let values = [1_u32, 2, 3, 4, 5, 6];
    let plain = {
        let mut evens = 0;
        for value in values {
            if value % 2 == 1 {
                continue;
            }
            if value > 4 {
                break;
            }
            evens += value;
        }
        let mut n = 0;
        let first_big = loop {
            n += 1;
            if n * n > 20 {
                break n;
            }
        };
        (evens, first_big)
    };
    let scoped = scope! {
        let sum = spawn "sum" => |_please_stop| values.iter().sum::<u32>();
        let mut evens = 0;
        for value in values {
            if value % 2 == 1 {
                continue;
            }
            if value > 4 {
                break;
            }
            evens += value;
        }
        let mut n = 0;
        let first_big = loop {
            n += 1;
            if n * n > 20 {
                break n;
            }
        };
        assert_eq!(sum.join().unwrap(), 21);
        (evens, first_big)
    };
    assert_eq!(plain, scoped);
}
