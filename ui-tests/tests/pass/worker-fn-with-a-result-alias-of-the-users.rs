//! A `#[worker]` fn whose return type is the user's own `Result<T>` alias
//! (one type parameter, the error fixed), as crates commonly define.
#![deny(warnings)]

use more_threads::prelude::*;

type Result<T> = std::result::Result<T, BoxError>;

#[worker]
fn checked_div(a: i32, b: i32) -> Result<i32> {
    if b == 0 {
        return Err("division by zero".into());
    }
    Ok(a / b)
}

fn run() -> Result<i32> {
    let value = scope! {
        let ok = spawn "ok" => checked_div(84, 2);
        let failed = spawn "zero" => checked_div(1, 0);
        assert!(failed.join().is_err());
        ok.join()?
    };
    Ok(value)
}

fn main() {
    assert_eq!(run().unwrap(), 42);
}
