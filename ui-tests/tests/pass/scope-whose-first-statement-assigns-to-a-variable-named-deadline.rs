//! A block whose first statement assigns to a variable named `deadline`
//! keeps that assignment, as a plain block does: scope!'s options are inner
//! attributes (`#![deadline = D]`), which no statement is.
#![deny(warnings)]

use more_threads::prelude::*;
use std::time::Duration;

/// Doubles the time left, then asks a child for half of it.
fn extend(mut deadline: Duration) -> (Duration, Duration) {
    let half = scope! {
        deadline = deadline * 2;
        let half = spawn "half" => move |_please_stop| deadline / 2;
        half.join().unwrap()
    };
    (deadline, half)
}

fn extend_plainly(mut deadline: Duration) -> (Duration, Duration) {
    let half = {
        deadline = deadline * 2;
        deadline / 2
    };
    (deadline, half)
}

fn main() {
    let second = Duration::from_secs(1);
    assert_eq!(extend(second), extend_plainly(second));
    assert_eq!(extend(second), (Duration::from_secs(2), second));
}
