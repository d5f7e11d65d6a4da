//! A deadline of more seconds than a `Duration` holds is no deadline: the
//! program runs and shuts down (it used to panic before the body ran).
#![deny(warnings)]

use more_threads::prelude::*;

#[more_threads::main(shutdown_deadline = 1e300)]
fn main() -> Result<(), ThreadError> {
    let child = Thread::run("child", |please_stop| please_stop.wait())?;
    child.release(); // the shutdown stops and joins it
    Ok(())
}
