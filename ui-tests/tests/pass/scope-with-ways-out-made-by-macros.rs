//! Ways out made by other macros act on the enclosing fn, as `bail!` does
//! in anyhow code: a macro that returns `Err`, one that returns `None`, and
//! one inside a nested `scope!` (they failed with "expected `Exit<_, _, _>`").
#![deny(warnings)]

use more_threads::prelude::*;

macro_rules! bail {
    ($message:expr) => {
        return Err($message.to_owned())
    };
}

macro_rules! or_none {
    ($value:expr) => {
        match $value {
            Some(value) => value,
            None => return None,
        }
    };
}

fn checked(value: u32) -> Result<u32, String> {
    let checked = scope! {
        release spawn "idle" => |please_stop: &Signal| please_stop.wait();
        if value == 0 {
            bail!("zero");
        }
        value
    };
    Ok(checked)
}

fn total(items: &[Option<u32>]) -> Option<u32> {
    let total = scope! {
        spawn "idle" => |_please_stop| ();
        let mut total = 0;
        for item in items {
            total += or_none!(*item);
        }
        total
    };
    Some(total)
}

fn nested(value: u32) -> Result<u32, String> {
    let outer = scope! {
        release spawn "outer-idle" => |please_stop: &Signal| please_stop.wait();
        let inner = scope! {
            release spawn "inner-idle" => |please_stop: &Signal| please_stop.wait();
            if value == 0 {
                bail!("zero inside");
            }
            value * 2
        };
        inner + 1
    };
    Ok(outer)
}

fn main() {
    assert_eq!(checked(3), Ok(3));
    assert_eq!(checked(0), Err("zero".to_owned()));
    assert_eq!(total(&[Some(1), Some(2)]), Some(3));
    assert_eq!(total(&[Some(1), None]), None);
    assert_eq!(nested(2), Ok(5));
    assert_eq!(nested(0), Err("zero inside".to_owned()));
    // A macro of the user's in a worker closure whose type is inferred.
    macro_rules! noop {
        () => {};
    }
    let one = scope! {
        let worker = spawn "worker" => |_please_stop| scope! { spawn "idle" => |_please_stop| (); noop!(); 1_u8 };
        worker.join().unwrap()
    };
    assert_eq!(one, 1);
}
