//! `release spawn` of a child that waits for its `please_stop`: the block's
//! end stops and joins it, so the value after the block sees its work.
#![deny(warnings)]

use more_threads::prelude::*;
use std::sync::Mutex;

fn main() {
    let log = Mutex::new(Vec::new());
    let value = scope! {
        release spawn "listener" => |please_stop: &Signal| {
            please_stop.wait();
            log.lock().unwrap().push("stopped");
        };
        log.lock().unwrap().push("body");
        7
    };
    assert_eq!(value, { 7 });
    assert_eq!(log.into_inner().unwrap(), ["body", "stopped"]);
}
