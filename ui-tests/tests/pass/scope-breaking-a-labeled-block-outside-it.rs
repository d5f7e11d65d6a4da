//! `break 'lookup value` from inside the block leaves a labeled block
//! written around it, with that value.
#![deny(warnings)]

use more_threads::prelude::*;

fn plain(key: &str, table: &[(&str, u32)]) -> u32 {
    'lookup: {
        {
            if let Some((_, value)) = table.iter().find(|(k, _)| *k == key) {
                break 'lookup *value;
            }
        }
        0
    }
}

fn scoped(key: &str, table: &[(&str, u32)]) -> u32 {
    'lookup: {
        scope! {
            let found = spawn "find" => |_please_stop| table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
            if let Some(value) = found.join().unwrap() {
                break 'lookup value;
            }
        }
        0
    }
}

fn main() {
    let table = [("a", 1), ("b", 2)];
    for key in ["a", "b", "c"] {
        assert_eq!(plain(key, &table), scoped(key, &table));
    }
}
