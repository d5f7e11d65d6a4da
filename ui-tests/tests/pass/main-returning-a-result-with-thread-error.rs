//! `#[more_threads::main]` on a main returning `Result<(), ThreadError>`:
//! `?` on joins inside a block and in main's body act on main.
#![deny(warnings)]

use more_threads::prelude::*;

#[more_threads::main]
fn main() -> Result<(), ThreadError> {
    let words = ["a", "bb"];
    let total = scope! {
        let a = spawn "a" => |_please_stop| words[0].len();
        let b = spawn "b" => |_please_stop| words[1].len();
        a.join()? + b.join()?
    };
    assert_eq!(total, 3);
    let check = Thread::run("check", move |_please_stop| total * 2)?;
    assert_eq!(check.join()?, 6);
    if total == 3 {
        return Ok(());
    }
    unreachable!("returned above")
}
