use more_threads::prelude::*;

fn main() {
    let done = scope! {
        #![deadline = 5]
        spawn "slow" => |please_stop: &Signal| please_stop.wait();
    };
    println!("{done:?}");
}
