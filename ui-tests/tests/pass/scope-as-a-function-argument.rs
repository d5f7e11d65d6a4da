//! `f(scope! { ... }, scope! { ... })`: blocks as arguments of a call,
//! each value of the parameter's type.
#![deny(warnings)]

use more_threads::prelude::*;

fn ratio(part: u32, whole: u32) -> f64 {
    f64::from(part) / f64::from(whole)
}

fn main() {
    let values = [1_u32, 2, 3, 4];
    let plain = ratio(
        {
            let even = values.iter().filter(|v| *v % 2 == 0);
            even.sum()
        },
        {
            let all = values.iter();
            all.sum()
        },
    );
    let scoped = ratio(
        scope! {
            let even = spawn "even" => |_please_stop| values.iter().filter(|v| *v % 2 == 0).sum::<u32>();
            even.join().unwrap()
        },
        scope! {
            let all = spawn "all" => |_please_stop| values.iter().sum::<u32>();
            all.join().unwrap()
        },
    );
    assert_eq!(plain, scoped);
    assert_eq!(scoped, 0.6);
}
