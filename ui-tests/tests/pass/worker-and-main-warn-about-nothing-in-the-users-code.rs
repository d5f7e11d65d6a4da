//! Under `deny(warnings)`: a `#[worker]` fn whose body is one expression
//! (it used to get "unnecessary braces around block return value", whose
//! suggested fix was invalid code), and `#[more_threads::main]` on a main
//! returning `impl Termination` (its `use` used to be "unused").
#![deny(warnings)]

use more_threads::prelude::*;
use std::process::Termination;

#[worker]
fn double(value: u32) -> u32 {
    value * 2
}

#[worker]
fn nothing() {}

#[more_threads::main]
fn main() -> impl Termination {
    let doubled = Thread::run("double", double(21)).unwrap().join().unwrap();
    assert_eq!(doubled, 42);
    Thread::run("nothing", nothing()).unwrap().join().unwrap();
}
