//! `if let Some(x) = a && let Ok(n) = x.parse() && n > 2` (let chains,
//! edition 2024) inside the block, on a child's value.
#![deny(warnings)]

use more_threads::prelude::*;

fn plain(fields: &[&str]) -> u32 {
    {
        if let Some(first) = fields.first()
            && let Ok(n) = first.parse::<u32>()
            && n > 2
        {
            n * 10
        } else {
            0
        }
    }
}

fn scoped(fields: &[&str]) -> u32 {
    scope! {
        let first = spawn "first" => |_please_stop| fields.first().copied();
        if let Some(first) = first.join().unwrap()
            && let Ok(n) = first.parse::<u32>()
            && n > 2
        {
            n * 10
        } else {
            0
        }
    }
}

fn main() {
    for fields in [&["5"][..], &["1"][..], &["x"][..], &[][..]] {
        assert_eq!(plain(fields), scoped(fields));
    }
}
