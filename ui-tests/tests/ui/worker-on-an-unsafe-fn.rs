use more_threads::prelude::*;

#[worker]
unsafe fn poke(address: usize) -> usize {
    address
}

fn main() {}
