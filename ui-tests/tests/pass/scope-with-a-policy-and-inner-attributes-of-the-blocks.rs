//! A block with a policy may start with inner attributes of its own too,
//! in any order among its options, and several options may share one
//! `#![...]`, separated by commas.
#![deny(warnings)]

use more_threads::prelude::*;
use std::time::Duration;

fn main() -> Result<(), ThreadError> {
    let words = ["three", "words", "here"];
    let counted = scope! {
        #![allow(unused_variables)]
        #![deadline = Duration::from_secs(600)]
        let unused = 0;
        let count = spawn "count" => |_please_stop| words.len();
        count.join()?
    }?;
    assert_eq!(counted, 3);
    let fastest = scope! {
        #![first_success, move_on_after = Duration::from_secs(600)]
        #![allow(unused_variables)]
        let unused = 0;
        for word in words {
            spawn word => move |_please_stop| Ok::<_, BoxError>(words.len());
        }
    }?;
    assert_eq!(fastest, Some(3));
    Ok(())
}
