//! A child that starts siblings into the same scope in a loop (fan-out
//! from a child); the scope's end waits for the siblings too.
#![deny(warnings)]

use more_threads::prelude::*;
use std::sync::atomic::{AtomicU32, Ordering};

fn main() {
    let parts = [1_u32, 2, 3, 4];
    let plain: u32 = parts.iter().map(|p| p * 10).sum();
    let total = AtomicU32::new(0);
    scope! {
        spawn "dispatcher" => |_please_stop| {
            for (index, part) in parts.iter().enumerate() {
                let total = &total;
                spawn format!("part-{index}") => move |_please_stop| {
                    total.fetch_add(part * 10, Ordering::SeqCst);
                };
            }
        };
    }
    assert_eq!(plain, total.into_inner());
}
