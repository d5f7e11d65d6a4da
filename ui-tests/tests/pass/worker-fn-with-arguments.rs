//! A `#[worker]` fn with several arguments of different kinds (a borrowed
//! slice, an owned `String`, a number), spawned and joined in a block.
#![deny(warnings)]

use more_threads::prelude::*;

#[worker]
fn describe(values: &[u32], label: String, scale: u32) -> String {
    let total: u32 = values.iter().map(|v| v * scale).sum();
    format!("{label}={total}")
}

fn main() {
    let values = vec![1, 2, 3];
    let plain = format!("{}={}", "sum", values.iter().map(|v| v * 10).sum::<u32>());
    let scoped = scope! {
        let described = spawn "describe" => describe(&values, "sum".to_owned(), 10);
        described.join().unwrap()
    };
    assert_eq!(plain, scoped);
    assert_eq!(describe(&values, "x".into(), 1).run(&Signal::new()), "x=6");
}
