//! A fn generic over `T` that returns a `T`: `return fallback` inside the
//! block and the block's value are both of the type parameter.
#![deny(warnings)]

use more_threads::prelude::*;

fn plain<T: Clone + PartialOrd>(items: &[T], fallback: T) -> T {
    {
        if items.is_empty() {
            return fallback;
        }
        let mut best = items[0].clone();
        for item in items {
            if *item > best {
                best = item.clone();
            }
        }
        best
    }
}

fn scoped<T: Clone + PartialOrd + Send + Sync>(items: &[T], fallback: T) -> T {
    scope! {
        if items.is_empty() {
            return fallback;
        }
        let best = spawn "best" => |_please_stop| {
            let mut best = &items[0];
            for item in items {
                if item > best {
                    best = item;
                }
            }
            Some(best.clone())
        };
        best.join().unwrap().unwrap_or(fallback)
    }
}

fn main() {
    assert_eq!(plain(&[3, 9, 2], 0), scoped(&[3, 9, 2], 0));
    assert_eq!(plain::<u8>(&[], 7), scoped::<u8>(&[], 7));
    let words = ["pear".to_owned(), "apple".to_owned()];
    assert_eq!(plain(&words, String::new()), scoped(&words, String::new()));
}
