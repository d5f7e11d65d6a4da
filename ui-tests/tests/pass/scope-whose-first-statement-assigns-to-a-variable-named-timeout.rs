//! A block whose first statement assigns to a variable named `timeout` (a
//! common name, and another library's for a deadline) keeps that
//! assignment, as a plain block does: only an inner attribute,
//! `#![timeout = ...]`, is taken for a misspelt option.
#![deny(warnings)]

use more_threads::prelude::*;
use std::time::Duration;

fn main() {
    let mut timeout = Duration::from_millis(100);
    let mut attempts = Vec::new();
    for _ in 0..3 {
        let waited = scope! {
            timeout = timeout * 2;
            let attempt = spawn "attempt" => move |_please_stop| timeout;
            attempt.join().unwrap()
        };
        attempts.push(waited.as_millis());
    }
    assert_eq!(attempts, [200, 400, 800]);
    assert_eq!(timeout, Duration::from_millis(800));
}
