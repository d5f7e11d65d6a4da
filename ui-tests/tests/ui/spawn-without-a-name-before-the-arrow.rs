use more_threads::prelude::*;

fn main() {
    scope! {
        spawn => |please_stop: &Signal| please_stop.wait();
    };
}
