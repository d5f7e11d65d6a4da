//! A block in a closure returning `Option`: its `?` returns `None` from
//! the closure (not from `main`), which goes on.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let table = [("a", 1_u32), ("b", 2)];
    let plain = |key: &str| -> Option<u32> {
        let value = {
            let (_, value) = table.iter().find(|(k, _)| *k == key)?;
            *value * 10
        };
        Some(value + 1)
    };
    let scoped = |key: &str| -> Option<u32> {
        let value = scope! {
            let found = spawn "find" => |_please_stop| table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
            found.join().unwrap()? * 10
        };
        Some(value + 1)
    };
    let keys = ["a", "z", "b"];
    let plain: Vec<_> = keys.iter().map(|k| plain(k)).collect();
    let scoped: Vec<_> = keys.iter().map(|k| scoped(k)).collect();
    assert_eq!(plain, scoped);
    assert_eq!(scoped, [Some(11), None, Some(21)]);
}
