//! A struct literal whose fields are `scope!` blocks ending with
//! `Default::default()` and with a value: each field's type gives its
//! block's.
#![deny(warnings)]

use more_threads::prelude::*;
use std::collections::HashMap;

#[derive(Debug, PartialEq)]
struct Index {
    names: HashMap<String, usize>,
    total: usize,
}

fn main() {
    let lines = ["x", "yy"];
    let plain = Index {
        names: { Default::default() },
        total: { lines.iter().map(|l| l.len()).sum() },
    };
    let scoped = Index {
        names: scope! {
            spawn "idle" => |_please_stop| ();
            Default::default()
        },
        total: scope! {
            let total = spawn "total" => |_please_stop| lines.iter().map(|l| l.len()).sum::<usize>();
            total.join().unwrap()
        },
    };
    assert_eq!(plain, scoped);
}
