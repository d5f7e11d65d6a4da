use more_threads::prelude::*;

fn main() {
    scope! {
        spawn "idle" => ;
    };
}
