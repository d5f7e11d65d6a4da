//! An attribute on a spawn statement (`#[cfg(feature = "...")] spawn ...;`),
//! as on any statement of a plain block: configured out, it is gone.
#![deny(warnings)]

use more_threads::prelude::*;
use std::sync::atomic::{AtomicU32, Ordering};

fn main() {
    let started = AtomicU32::new(0);
    scope! {
        #[cfg(any())]
        spawn "configured-out" => |_please_stop| panic!("not built");
        #[cfg(not(any()))]
        spawn "configured-in" => |_please_stop| {
            started.fetch_add(1, Ordering::SeqCst);
        };
    }
    assert_eq!(started.load(Ordering::SeqCst), 1);
}
