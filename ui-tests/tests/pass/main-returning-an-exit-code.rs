//! `#[more_threads::main]` on a main returning `std::process::ExitCode`,
//! chosen by a block's value.
#![deny(warnings)]

use more_threads::prelude::*;
use std::process::ExitCode;

#[more_threads::main]
fn main() -> ExitCode {
    let checks = [true, true];
    let all_good = scope! {
        let handles: Vec<_> = checks.iter().map(|ok| spawn "check" => move |_please_stop| *ok).collect();
        handles.into_iter().all(|handle| handle.join().unwrap())
    };
    if all_good {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
