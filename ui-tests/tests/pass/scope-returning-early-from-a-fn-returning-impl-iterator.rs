//! A fn returning `impl Iterator<Item = u32>`: the block returns an empty
//! `vec::IntoIter` early, or the children's results as one.
#![deny(warnings)]

use more_threads::prelude::*;

fn plain(values: &[u32]) -> impl Iterator<Item = u32> {
    {
        if values.len() < 2 {
            return Vec::new().into_iter();
        }
        values.iter().map(|v| v * v).collect::<Vec<_>>().into_iter()
    }
}

fn scoped(values: &[u32]) -> impl Iterator<Item = u32> {
    scope! {
        if values.len() < 2 {
            return Vec::new().into_iter();
        }
        let squares = spawn "squares" => |_please_stop| values.iter().map(|v| v * v).collect::<Vec<_>>();
        squares.join().unwrap().into_iter()
    }
}

fn main() {
    for values in [&[4][..], &[1, 2, 3][..]] {
        assert!(plain(values).eq(scoped(values)));
    }
}
