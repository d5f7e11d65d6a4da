// A scope that cannot be expanded at all (it awaits) is its error alone,
// even under `deny(warnings)` with code after it: the block used to become
// `unreachable!()`, of type `!`, which made the next statement
// "unreachable".
#![deny(warnings)]
use more_threads::prelude::*;

async fn later() {}

async fn run(values: &[u32]) -> u32 {
    let total: u32 = scope! {
        let first = spawn "first" => |_please_stop| values[0];
        later().await;
        first.join().unwrap()
    };
    total + 1
}

fn main() {
    drop(run(&[1]));
}
