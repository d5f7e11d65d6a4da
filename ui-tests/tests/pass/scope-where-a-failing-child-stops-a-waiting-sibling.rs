//! A child fails (`Err`), its join's `?` leaves the fn, and a sibling that
//! waits for its `please_stop` is stopped and joined, not waited for.
#![deny(warnings)]

use more_threads::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};

fn run(stopped: &AtomicBool) -> Result<u32, ThreadError> {
    scope! {
        spawn "waiter" => |please_stop: &Signal| {
            please_stop.wait();
            stopped.store(true, Ordering::SeqCst);
        };
        let failing = spawn "failing" => |_please_stop| Err::<u32, _>("no disk");
        let value = failing.join()?;
        Ok(value)
    }
}

fn main() {
    let stopped = AtomicBool::new(false);
    let error = run(&stopped).unwrap_err();
    assert!(
        format!("{error:#}").ends_with("/failing failed: no disk"),
        "{error:#}"
    );
    assert!(stopped.load(Ordering::SeqCst));
}
