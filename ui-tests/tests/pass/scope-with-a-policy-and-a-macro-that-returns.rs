//! A macro's hidden `return` inside a block with a policy acts on the
//! enclosing fn, as in a plain block.
#![deny(warnings)]

use more_threads::prelude::*;

macro_rules! or_none {
    ($value:expr) => {
        match $value {
            Some(value) => value,
            None => return None,
        }
    };
}

fn double_first(numbers: &[u32]) -> Option<u32> {
    let doubled = scope! {
        #![first_success]
        let first = *or_none!(numbers.first());
        spawn "double" => move |_please_stop| Ok::<_, BoxError>(first * 2);
    };
    doubled.ok()
}

fn main() {
    assert_eq!(double_first(&[21, 5]), Some(42));
    assert_eq!(double_first(&[]), None);
}
