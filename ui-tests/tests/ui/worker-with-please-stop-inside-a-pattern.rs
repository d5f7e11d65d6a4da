// A `please_stop` bound inside a parameter's pattern would hide the thread's
// Signal from the body.
use more_threads::prelude::*;

#[worker]
fn poll((please_stop, rounds): (&'static str, u32)) -> u32 {
    please_stop.len() as u32 + rounds
}

fn main() {
    let _ = Thread::run("poll", poll(("x", 3)));
}
