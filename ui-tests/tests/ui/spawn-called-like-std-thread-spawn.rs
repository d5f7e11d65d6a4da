use more_threads::prelude::*;

fn main() {
    scope! {
        spawn(|| println!("hello from a thread"));
    };
    println!("done");
}
