use more_threads::prelude::*;

fn main() {
    scope! {
        spawn 42 => |please_stop: &Signal| please_stop.wait();
    };
}
