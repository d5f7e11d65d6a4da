//! A `return` in the innermost of three nested blocks leaves the fn, after
//! the children of all three have finished; otherwise the values flow out.
#![deny(warnings)]

use more_threads::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

fn plain(limit: u32) -> u32 {
    let outer = {
        let middle = {
            let inner = {
                if limit == 0 {
                    return 999;
                }
                limit + 1
            };
            inner * 2
        };
        middle + 3
    };
    outer
}

fn scoped(limit: u32, finished: &AtomicUsize) -> u32 {
    let outer = scope! {
        spawn "outer" => |_please_stop| { finished.fetch_add(1, Ordering::SeqCst); };
        let middle = scope! {
            spawn "middle" => |_please_stop| { finished.fetch_add(1, Ordering::SeqCst); };
            let inner = scope! {
                spawn "inner" => |_please_stop| { finished.fetch_add(1, Ordering::SeqCst); };
                if limit == 0 {
                    return 999;
                }
                limit + 1
            };
            inner * 2
        };
        middle + 3
    };
    outer
}

fn main() {
    for limit in [0, 4] {
        let finished = AtomicUsize::new(0);
        assert_eq!(plain(limit), scoped(limit, &finished));
        assert_eq!(finished.load(Ordering::SeqCst), 3);
    }
}
