//! `spawn`s that are not the DSL's, reached by a path or a method, inside
//! the block: `std::thread::spawn(|| ...)`, `thread::spawn`, a std scope's
//! `s.spawn(|| ...)`, `Builder::spawn`, and a method of the user's named
//! `spawn` taking a closure. Only a bare `spawn` can be the DSL's.
#![deny(warnings)]

use more_threads::prelude::*;
use std::thread;

struct Pool;

impl Pool {
    fn spawn(&self, job: impl FnOnce() -> u32) -> u32 {
        job()
    }
}

fn main() {
    let pool = Pool;
    let plain = {
        let a = std::thread::spawn(|| 1_u32).join().unwrap();
        let b = thread::spawn(move || 2_u32).join().unwrap();
        let c = thread::scope(|s| s.spawn(|| 3_u32).join().unwrap());
        let d = thread::Builder::new().name("d".into()).spawn(|| 4_u32).unwrap().join().unwrap();
        let e = pool.spawn(|| 5);
        a + b + c + d + e
    };
    let scoped = scope! {
        let a = std::thread::spawn(|| 1_u32).join().unwrap();
        let b = thread::spawn(move || 2_u32).join().unwrap();
        let c = thread::scope(|s| s.spawn(|| 3_u32).join().unwrap());
        let d = thread::Builder::new().name("d".into()).spawn(|| 4_u32).unwrap().join().unwrap();
        let e = pool.spawn(|| 5);
        let ours = spawn "ours" => |_please_stop| 0_u32;
        a + b + c + d + e + ours.join().unwrap()
    };
    assert_eq!(plain, scoped);
    assert_eq!(scoped, 15);
}
