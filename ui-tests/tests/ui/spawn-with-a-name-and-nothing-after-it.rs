use more_threads::prelude::*;

fn main() {
    let value = scope! {
        spawn "idle";
        42_u32
    };
    println!("{value}");
}
