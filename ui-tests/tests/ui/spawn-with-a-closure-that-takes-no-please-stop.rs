use more_threads::prelude::*;

fn main() {
    scope! {
        spawn "forgetful" => || 42_u8;
    };
}
