use more_threads::prelude::*;

fn main() {
    let done = scope! {
        #![deadline]
        spawn "slow" => |please_stop: &Signal| please_stop.wait();
    };
    println!("{done:?}");
}
