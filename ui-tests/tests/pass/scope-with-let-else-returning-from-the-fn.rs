//! `let Some(x) = ... else { return ... };` inside the block: the `else`
//! returns from the enclosing fn, after the children.
#![deny(warnings)]

use more_threads::prelude::*;

fn plain(line: &str) -> u32 {
    {
        let Some((key, value)) = line.split_once('=') else {
            return 0;
        };
        let Ok(value) = value.parse::<u32>() else {
            return 1;
        };
        key.len() as u32 + value
    }
}

fn scoped(line: &str) -> u32 {
    scope! {
        let length = spawn "length" => |_please_stop| line.len();
        let Some((key, value)) = line.split_once('=') else {
            return 0;
        };
        let Ok(value) = value.parse::<u32>() else {
            return 1;
        };
        assert_eq!(length.join().unwrap(), line.len());
        key.len() as u32 + value
    }
}

fn main() {
    for line in ["no equals", "k=x", "key=10"] {
        assert_eq!(plain(line), scoped(line));
    }
}
