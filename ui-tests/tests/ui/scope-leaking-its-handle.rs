// A handle cannot leave the scope whose end waits for its thread.
use more_threads::prelude::*;

fn main() {
    let data = vec![1, 2, 3];
    let escaped = scope! {
        spawn "reader" => |_please_stop| data.len()
    };
    drop(escaped);
}
