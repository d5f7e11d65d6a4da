//! The block ends with `.into()`, converted by a `From` impl of the user's
//! into the type the `let` names.
#![deny(warnings)]

use more_threads::prelude::*;

#[derive(Debug, PartialEq)]
struct Celsius(f64);

impl From<u32> for Celsius {
    fn from(tenths: u32) -> Self {
        Celsius(f64::from(tenths) / 10.0)
    }
}

fn main() {
    let readings = [215_u32, 225];
    let plain: Celsius = { (readings.iter().sum::<u32>() / 2).into() };
    let scoped: Celsius = scope! {
        let sum = spawn "sum" => |_please_stop| readings.iter().sum::<u32>();
        (sum.join().unwrap() / 2).into()
    };
    assert_eq!(plain, scoped);
    assert_eq!(scoped, Celsius(22.0));
}
