//! `for i in 0..n { spawn format!("worker-{i}") => ... }`: one child per
//! iteration, each left to the scope, which waits for all of them.
#![deny(warnings)]

use more_threads::prelude::*;
use std::sync::Mutex;

fn main() {
    let n = 6_u64;
    let plain: u64 = (0..n).map(|i| i * i).sum();
    let squares = Mutex::new(0_u64);
    scope! {
        for i in 0..n {
            let squares = &squares;
            spawn format!("worker-{i}") => move |_please_stop| {
                *squares.lock().unwrap() += i * i;
            };
        }
    }
    assert_eq!(plain, squares.into_inner().unwrap());
}
