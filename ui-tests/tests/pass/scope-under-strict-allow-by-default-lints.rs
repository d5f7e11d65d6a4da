//! Lints that strict crates deny beyond `warnings` (`unused_results`,
//! `unused_qualifications`, `elided_lifetimes_in_paths`, ...) find nothing
//! in the expansions of a block with ways out and of a `#[worker]`.
#![deny(warnings)]
#![deny(
    unused_results,
    unused_qualifications,
    elided_lifetimes_in_paths,
    let_underscore_drop,
    trivial_casts,
    trivial_numeric_casts,
    unused_lifetimes,
    single_use_lifetimes,
    unreachable_pub,
    unused_import_braces,
    variant_size_differences
)]

use more_threads::prelude::*;
use std::ops::ControlFlow;

#[worker]
fn length(text: &str) -> Result<usize, BoxError> {
    please_stop.check()?;
    Ok(text.len())
}

fn total(words: &[&str]) -> Result<usize, ThreadError> {
    let mut total = 0;
    for word in words {
        let flow: ControlFlow<()> = scope! {
            let handle = spawn "length" => length(word);
            let length = handle.join()?;
            if length == 0 {
                continue;
            }
            total += length;
            if total > 100 {
                break;
            }
            ControlFlow::Continue(())
        };
        assert_eq!(flow, ControlFlow::Continue(()));
    }
    Ok(total)
}

fn main() {
    assert_eq!(total(&["ab", "", "cde"]).unwrap(), 5);
}
