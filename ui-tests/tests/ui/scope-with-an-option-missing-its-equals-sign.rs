use more_threads::prelude::*;
use std::time::Duration;

fn main() {
    let done = scope! {
        #![deadline Duration::from_secs(1)]
        spawn "slow" => |please_stop: &Signal| please_stop.wait();
    };
    println!("{done:?}");
}
