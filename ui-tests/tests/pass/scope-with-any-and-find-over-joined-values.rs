//! `any` and `find` over the children's results decide the block's value,
//! a tuple `(bool, Option<&str>)`.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let names = ["ann", "bartholomew", "cy"];
    let plain = (
        names.iter().any(|name| name.len() > 10),
        names.iter().copied().find(|name| name.len() < 3),
    );
    let scoped = scope! {
        let lengths: Vec<_> = names
            .iter()
            .map(|name| spawn *name => move |_please_stop| (*name, name.len()))
            .collect();
        let joined: Vec<(&str, usize)> = lengths.into_iter().map(|h| h.join().unwrap()).collect();
        (
            joined.iter().any(|(_, length)| *length > 10),
            joined.iter().find(|(_, length)| *length < 3).map(|(name, _)| *name),
        )
    };
    assert_eq!(plain, scoped);
    assert_eq!(scoped, (true, Some("cy")));
}
