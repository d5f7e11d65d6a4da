use more_threads::prelude::*;

fn main() {
    scope! {
        spawn "eager" => 42_u8;
    };
}
