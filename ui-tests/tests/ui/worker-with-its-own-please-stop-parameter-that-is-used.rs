// The mistake is reported once, at the parameter, even where the worker is used.
use more_threads::prelude::*;

#[worker]
fn poll(please_stop: &Signal, rounds: u32) -> u32 {
    if please_stop.is_go() { 0 } else { rounds }
}

fn main() {
    let poller = Thread::run("poller", poll(3)).unwrap();
    let _ = poller.join();
}
