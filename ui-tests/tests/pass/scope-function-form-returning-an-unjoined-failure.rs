//! `more_threads::scope(|s| ...)`, the function form, beside the block:
//! the same value when all goes well, and an unjoined failure as its `Err`.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let words = ["ab", "c"];
    let block = scope! {
        let length = spawn "length" => |_please_stop| words.concat().len();
        length.join().unwrap()
    };
    let function = more_threads::scope(|scope| {
        scope
            .spawn("length", |_please_stop| words.concat().len())
            .join()
    })
    .unwrap();
    assert_eq!(block, function);
    let failed = more_threads::scope(|scope| {
        scope.spawn("doomed", |_please_stop| Err::<(), _>("lost"));
    });
    assert!(failed.unwrap_err().path().ends_with("/doomed"));
}
