use more_threads::prelude::*;

fn main() {
    let id = 7_u32;
    scope! {
        spawn id => |please_stop: &Signal| please_stop.wait();
    };
}
