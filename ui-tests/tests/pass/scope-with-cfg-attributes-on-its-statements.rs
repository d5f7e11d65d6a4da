//! `#[cfg(...)]` on `let` statements inside the block: the one configured
//! out is gone, as in a plain block.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let plain = {
        #[cfg(any())]
        let label = "never";
        #[cfg(not(any()))]
        let label = "always";
        label.len()
    };
    let scoped = scope! {
        #[cfg(any())]
        let label = "never";
        #[cfg(not(any()))]
        let label = "always";
        let length = spawn "length" => move |_please_stop| label.len();
        length.join().unwrap()
    };
    assert_eq!(plain, scoped);
}
