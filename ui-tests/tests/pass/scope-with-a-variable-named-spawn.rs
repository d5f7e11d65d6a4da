//! A variable of the user's named `spawn` stays theirs: only `spawn NAME =>`
//! (or what can only be a spawn missing its name) is the DSL's. These used
//! to fail with "every thread needs a name".
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let mut spawn = 0_usize;
    let mut spawns = [0_usize; 2];
    let total = scope! {
        spawn += 1;
        spawn *= 3;
        spawn -= 1;
        spawns[0] = 1;
        let child = spawn "child" => |_please_stop| 5_usize;
        child.join().unwrap() + spawn + spawns[0]
    };
    assert_eq!(total, 5 + 2 + 1);
}
