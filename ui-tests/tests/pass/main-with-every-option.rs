//! `#[more_threads::main]` with the options its docs list
//! (`shutdown_deadline`, `handle_signals`, `logger`, `dump_on_sigquit`,
//! `console`),
//! returning quickly.
#![deny(warnings)]

use more_threads::prelude::*;

#[more_threads::main(
    shutdown_deadline = 0.5,
    handle_signals = false,
    logger = false,
    dump_on_sigquit = false,
    console = false
)]
fn main() -> Result<(), ThreadError> {
    let value = scope! {
        release spawn "idle" => |please_stop: &Signal| please_stop.wait();
        let answer = spawn "answer" => |_please_stop| 42_u32;
        answer.join()?
    };
    assert_eq!(value, 42);
    Ok(())
}
