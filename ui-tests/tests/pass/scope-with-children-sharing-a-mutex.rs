//! Children share a `std::sync::Mutex<Vec<_>>` owned by the enclosing fn,
//! by reference; the block joins them, then reads it as its value.
#![deny(warnings)]

use more_threads::prelude::*;
use std::sync::Mutex;

fn main() {
    let plain = {
        let seen = Mutex::new(Vec::new());
        for index in 0..4_u32 {
            seen.lock().unwrap().push(index * index);
        }
        seen.into_inner().unwrap()
    };
    let seen = Mutex::new(Vec::new());
    let scoped = scope! {
        let mut handles = Vec::new();
        for index in 0..4_u32 {
            let seen = &seen;
            handles.push(spawn format!("push-{index}") => move |_please_stop| seen.lock().unwrap().push(index * index));
        }
        for handle in handles {
            handle.join().unwrap();
        }
        let mut squares = seen.lock().unwrap().clone();
        squares.sort_unstable();
        squares
    };
    assert_eq!(plain, scoped);
    assert_eq!(seen.into_inner().unwrap().len(), 4);
}
