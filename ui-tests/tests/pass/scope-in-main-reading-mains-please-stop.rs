//! Inside `#[more_threads::main]`, the block reads main's own
//! `please_stop`, while each child's closure names its own.
#![deny(warnings)]

use more_threads::prelude::*;

#[more_threads::main]
fn main() {
    let stopping = scope! {
        let child = spawn "child" => |please_stop: &Signal| please_stop.is_go();
        let child_saw = child.join().unwrap();
        (please_stop.is_go(), child_saw)
    };
    assert_eq!(stopping, (false, false));
}
