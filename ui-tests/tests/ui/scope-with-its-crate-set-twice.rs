use more_threads::prelude::*;

fn main() {
    scope! {
        #![crate = "more_threads"]
        #![crate = "more_threads"]
    };
}
