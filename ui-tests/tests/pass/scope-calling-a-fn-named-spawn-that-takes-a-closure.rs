//! A fn of the user's named `spawn` that takes a closure (std's shape),
//! called inside the block as the `scope!` docs say: by its path
//! (`self::spawn(|| ...)`, `crate::spawn(...)`) or as `(spawn)(|| ...)`; and
//! called bare with arguments that are not closures (`spawn(job)`), which
//! stay the user's call.
#![deny(warnings)]

use more_threads::prelude::*;

fn spawn<F: FnOnce() -> u32>(job: F) -> u32 {
    job() * 10
}

fn main() {
    let job = || 4_u32;
    let plain = { self::spawn(|| 1) + crate::spawn(move || 2) + (spawn)(|| 3) + spawn(job) };
    let scoped = scope! {
        let ours = spawn "ours" => |_please_stop| 0_u32;
        self::spawn(|| 1) + crate::spawn(move || 2) + (spawn)(|| 3) + spawn(job) + ours.join().unwrap()
    };
    assert_eq!(plain, scoped);
    assert_eq!(scoped, 100);
}
