//! A block whose last statement ends with `;` has the value `()`: used as a
//! statement, and bound to a `let` of type `()`.
#![deny(warnings)]

use more_threads::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};

fn main() {
    let calls = AtomicUsize::new(0);
    let plain: () = {
        calls.fetch_add(1, Ordering::SeqCst);
    };
    let scoped: () = scope! {
        spawn "call" => |_please_stop| { calls.fetch_add(1, Ordering::SeqCst); };
        calls.fetch_add(1, Ordering::SeqCst);
    };
    assert_eq!(plain, scoped);
    scope! {
        spawn "call" => |_please_stop| { calls.fetch_add(1, Ordering::SeqCst); };
    };
    assert_eq!(calls.load(Ordering::SeqCst), 4);
}
