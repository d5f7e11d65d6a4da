use more_threads::prelude::*;

#[worker]
fn poll(please_stop: &Signal, rounds: u32) -> u32 {
    rounds
}

fn main() {}
