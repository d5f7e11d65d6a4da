//! A `macro_rules!` helper of the user's that only computes (`square!`),
//! used in a block of a fn returning `Vec<u32>`: the macro has no way out,
//! so nothing has to be carried out of the fn.
#![deny(warnings)]

use more_threads::prelude::*;

macro_rules! square {
    ($value:expr) => {
        $value * $value
    };
}

fn plain(values: &[u32]) -> Vec<u32> {
    {
        let first = square!(values[0]);
        let mut squares: Vec<u32> = values[1..].iter().map(|&v| v * v).collect();
        squares.insert(0, first);
        squares
    }
}

fn scoped(values: &[u32]) -> Vec<u32> {
    scope! {
        let first = square!(values[0]);
        let rest = spawn "rest" => |_please_stop| values[1..].iter().map(|&v| v * v).collect::<Vec<u32>>();
        let mut squares = rest.join().unwrap();
        squares.insert(0, first);
        squares
    }
}

fn main() {
    let values = [1, 2, 3];
    assert_eq!(plain(&values), scoped(&values));
}
