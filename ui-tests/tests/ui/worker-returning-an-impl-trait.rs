// A worker's value goes to the thread that joins it: its type is named.
use more_threads::prelude::*;
use std::fmt::Display;

#[worker]
fn describe(count: u32) -> impl Display {
    format!("{count} items")
}

fn main() {
    let _ = Thread::run("describe", describe(3));
}
