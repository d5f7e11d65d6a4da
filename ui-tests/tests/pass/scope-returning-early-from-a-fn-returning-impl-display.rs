//! A fn returning `impl Display`: a `return` in the block and the block's
//! value are of the one concrete type behind it.
#![deny(warnings)]

use more_threads::prelude::*;
use std::fmt::Display;

fn plain(values: &[u32]) -> impl Display {
    {
        if values.is_empty() {
            return String::from("none");
        }
        values
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(",")
    }
}

fn scoped(values: &[u32]) -> impl Display {
    scope! {
        if values.is_empty() {
            return String::from("none");
        }
        let joined = spawn "join" => |_please_stop| values.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
        joined.join().unwrap()
    }
}

fn main() {
    for values in [&[][..], &[1, 22][..]] {
        assert_eq!(plain(values).to_string(), scoped(values).to_string());
    }
}
