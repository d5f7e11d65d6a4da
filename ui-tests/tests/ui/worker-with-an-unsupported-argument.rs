use more_threads::prelude::*;

#[worker(daemon)]
fn serve() {}

fn main() {}
