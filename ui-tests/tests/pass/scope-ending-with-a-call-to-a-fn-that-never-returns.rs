//! A block whose last statement is a call to a fn returning `!` (with its
//! `;`) has the type `!`, so it fits a fn returning `i32`, as a plain block
//! does.
#![deny(warnings)]

use more_threads::prelude::*;

fn fail(message: &str) -> ! {
    panic!("{message}")
}

fn plain(value: i32) -> i32 {
    {
        if value > 0 {
            return value;
        }
        fail("not positive");
    }
}

fn scoped(value: i32) -> i32 {
    scope! {
        let doubled = spawn "double" => move |_please_stop| value * 2;
        if doubled.join().unwrap() > 0 {
            return value;
        }
        fail("not positive");
    }
}

fn main() {
    assert_eq!(plain(4), scoped(4));
}
