//! `spawn NAME => work` where `work` is a local variable holding a worker
//! closure, and a `Vec` of boxed workers spawned in a loop.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let base = 10_u32;
    let work = move |_please_stop: &Signal| base + 1;
    let workers: Vec<Box<dyn FnOnce(&Signal) -> u32 + Send>> =
        vec![Box::new(|_| 1), Box::new(move |_| base * 2)];
    let scoped = scope! {
        let first = spawn "work" => work;
        let mut total = first.join().unwrap();
        for worker in workers {
            let handle = spawn "boxed" => worker;
            total += handle.join().unwrap();
        }
        total
    };
    assert_eq!(scoped, { 11 + 1 + 20 });
}
