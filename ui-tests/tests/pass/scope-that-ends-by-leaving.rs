//! A block that ends by leaving (`continue;`, `break;`, `return x;`) has no
//! value, as a plain block: under `deny(warnings)` no "unreachable
//! expression" comes of it (rustc 1.85 said so of the expansion's own code).
#![deny(warnings)]

use more_threads::prelude::*;

fn first_above(items: &[u32], floor: u32) -> u32 {
    for item in items {
        scope! {
            spawn "idle" => |_please_stop| ();
            if *item > floor {
                return *item;
            }
            continue;
        };
    }
    0
}

fn plus_one(n: u32) -> u32 {
    scope! {
        spawn "idle" => |_please_stop| ();
        return n + 1;
    }
}

fn count_until(limit: u32) -> u32 {
    let mut count = 0;
    loop {
        scope! {
            let next = spawn "next" => move |_please_stop| count + 1;
            count = next.join().unwrap();
            if count < limit {
                continue;
            }
            break;
        }
    }
    count
}

fn main() {
    assert_eq!(first_above(&[1, 5, 9], 4), 5);
    assert_eq!(first_above(&[1], 4), 0);
    assert_eq!(plus_one(1), 2);
    assert_eq!(count_until(3), 3);
}
