//! Macros of the user's whose syntax holds the word `spawn` (`twice!(spawn
//! 21)`, a `macro_rules!` defined in the block with a `spawn $x` rule):
//! their arguments are someone else's syntax, where only
//! `spawn NAME => WORKER` is the DSL's.
#![deny(warnings)]

use more_threads::prelude::*;

macro_rules! twice {
    (spawn $value:expr) => {
        $value * 2
    };
}

fn main() {
    let plain = {
        macro_rules! thrice {
            (spawn $value:expr) => {
                $value * 3
            };
        }
        twice!(spawn 21) + thrice!(spawn 1)
    };
    let scoped = scope! {
        macro_rules! thrice {
            (spawn $value:expr) => {
                $value * 3
            };
        }
        let child = spawn "child" => |_please_stop| twice!(spawn 21);
        child.join().unwrap() + thrice!(spawn 1)
    };
    assert_eq!(plain, scoped);
    assert_eq!(scoped, 45);
}
