// What the closure form cannot do: a `continue` (or `break`) made by
// another macro, which the block's closure cannot carry out; rustc says so
// at the macro's `continue`. Written instead: the `continue` in the block.
use more_threads::prelude::*;

macro_rules! skip_odd {
    ($value:expr) => {
        if $value % 2 == 1 {
            continue;
        }
    };
}

fn main() {
    let mut total = 0;
    for value in [1_u32, 2, 3, 4] {
        scope! {
            let doubled = spawn "double" => move |_please_stop| value * 2;
            skip_odd!(value);
            total += doubled.join().unwrap();
        }
    }
    assert_eq!(total, 12);
}
