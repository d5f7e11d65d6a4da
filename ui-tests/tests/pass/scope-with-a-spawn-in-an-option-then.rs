//! `flag.then(|| spawn ...)` and `opt.map(|v| spawn ...)`: spawns inside
//! closures given to `Option` and `bool` methods, handles optional.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    for (check, extra) in [(true, Some(5_u32)), (false, None)] {
        let plain = (check.then(|| 1_u32), extra.map(|v| v * 2));
        let scoped = scope! {
            let checked = check.then(|| spawn "check" => |_please_stop| 1_u32);
            let doubled = extra.map(|v| spawn "double" => move |_please_stop| v * 2);
            (
                checked.map(|h| h.join().unwrap()),
                doubled.map(|h| h.join().unwrap()),
            )
        };
        assert_eq!(plain, scoped);
    }
}
