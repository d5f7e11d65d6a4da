//! A variable of the user's named `spawn` stays theirs: only `spawn NAME =>`
//! (or what can only be a spawn missing its name) is the DSL's. These used
//! to fail with "every thread needs a name"; so did a match arm binding
//! `spawn` (`spawn => ...`, `spawn @ 1..=5 => ...`), a pattern, where no
//! expression (and so no spawn of the DSL's) can be.
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
    let kind = |value: u32| {
        scope! {
            spawn "idle" => |_please_stop| ();
            match value {
                0 => "none",
                spawn @ 1..=5 if spawn % 2 == 1 => "few, odd",
                spawn @ 1..=5 => { let _ = spawn; "few" }
                spawn => match spawn { spawn if spawn > 100 => "lots", _ => "many" },
            }
        }
    };
    assert_eq!(
        [kind(0), kind(3), kind(4), kind(7), kind(101)],
        ["none", "few, odd", "few", "many", "lots"]
    );
    let started = scope! {
        let value = Some(2_u32);
        match value {
            Some(spawn) => {
                let child = spawn "child" => move |_please_stop| spawn * 10;
                child.join().unwrap()
            }
            None => (spawn "none" => |_please_stop| 0_u32).join().unwrap(),
        }
    };
    assert_eq!(started, 20);
}
