// A thread name is a string; the error suggests the C string's text as one.
use more_threads::prelude::*;

fn main() {
    scope! {
        spawn c"reader" => |please_stop: &Signal| please_stop.wait();
    };
}
