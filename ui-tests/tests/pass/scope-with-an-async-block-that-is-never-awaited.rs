//! An `async` block created inside the block and dropped without being
//! awaited (its own `.await` and `return` stay its own).
#![deny(warnings)]

use more_threads::prelude::*;

async fn fetch(value: u32) -> u32 {
    value + 1
}

fn main() {
    let values = [1_u32, 2];
    let plain = {
        let later = async {
            let first = fetch(values[0]).await;
            if first > 100 {
                return 0;
            }
            first
        };
        drop(later);
        values.len()
    };
    let scoped = scope! {
        let later = async {
            let first = fetch(values[0]).await;
            if first > 100 {
                return 0;
            }
            first
        };
        drop(later);
        let count = spawn "count" => |_please_stop| values.len();
        count.join().unwrap()
    };
    assert_eq!(plain, scoped);
}
