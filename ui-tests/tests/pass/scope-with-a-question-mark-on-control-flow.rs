//! `?` on a `ControlFlow` in a fn returning `ControlFlow`, as a visitor
//! writes it: a `Break` leaves the fn, after the children.
#![deny(warnings)]

use more_threads::prelude::*;
use std::ops::ControlFlow;

fn check(sum: u32) -> ControlFlow<u32> {
    if sum > 10 {
        ControlFlow::Break(sum)
    } else {
        ControlFlow::Continue(())
    }
}

fn plain(values: &[u32]) -> ControlFlow<u32, u32> {
    let total = {
        let sum = values.iter().sum::<u32>();
        check(sum)?;
        sum * 2
    };
    ControlFlow::Continue(total)
}

fn scoped(values: &[u32]) -> ControlFlow<u32, u32> {
    let total = scope! {
        let sum = spawn "sum" => |_please_stop| values.iter().sum::<u32>();
        let sum = sum.join().unwrap();
        check(sum)?;
        sum * 2
    };
    ControlFlow::Continue(total)
}

fn main() {
    for values in [&[1_u32, 2][..], &[7, 8][..]] {
        assert_eq!(plain(values), scoped(values));
    }
}
