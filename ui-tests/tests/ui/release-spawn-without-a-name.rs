use more_threads::prelude::*;

fn main() {
    let value = scope! {
        release spawn |please_stop: &Signal| please_stop.wait();
        42_u32
    };
    println!("{value}");
}
