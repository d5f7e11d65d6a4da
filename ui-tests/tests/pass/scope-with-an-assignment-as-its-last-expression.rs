//! A block ending with an assignment without `;` (`total *= ...`): its
//! value is `()`, as a plain block's is.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let mut plain_total = 1;
    let plain: () = { plain_total *= 5 };
    let mut total = 1;
    let scoped: () = scope! {
        let five = spawn "five" => |_please_stop| 5;
        total *= five.join().unwrap()
    };
    assert_eq!(plain, scoped);
    assert_eq!(plain_total, total);
}
