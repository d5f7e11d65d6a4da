// What the closure form cannot do: initialise a variable declared before
// the block (the closure cannot assign to a binding not yet initialised).
// Written instead: `let total = scope! { ...; sum.join().unwrap() };`.
use more_threads::prelude::*;

fn main() {
    let numbers = [1_u32, 2, 3];
    let total;
    scope! {
        let sum = spawn "sum" => |_please_stop| numbers.iter().sum::<u32>();
        total = sum.join().unwrap();
    }
    assert_eq!(total, 6);
}
