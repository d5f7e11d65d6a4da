//! Ways out made by other macros act on the enclosing fn, as `bail!` does
//! in anyhow code: a macro that returns `Err`, one that returns `None`, one
//! inside a nested `scope!` (they failed with "expected `Exit<_, _, _>`"),
//! and one that returns a plain value (which failed with "expected `bool`").
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

macro_rules! early {
    ($value:expr) => {
        return $value
    };
}

fn doubled_plus_one(n: u32) -> u32 {
    let doubled = scope! {
        let child = spawn "double" => move |_please_stop| n * 2;
        if n == 0 {
            early!(100);
        }
        child.join().unwrap()
    };
    doubled + 1
}

fn described(n: u32) -> (u32, String) {
    scope! {
        release spawn "idle" => |please_stop: &Signal| please_stop.wait();
        if n == 0 {
            early!((0, "zero".to_owned()));
        }
        let inner = scope! {
            if n == 1 {
                early!((1, "one".to_owned()));
            }
            n
        };
        (inner, "many".to_owned())
    }
}

fn main() {
    assert_eq!((doubled_plus_one(0), doubled_plus_one(2)), (100, 5));
    assert_eq!(described(0), (0, "zero".to_owned()));
    assert_eq!(described(1), (1, "one".to_owned()));
    assert_eq!(described(2), (2, "many".to_owned()));
    let label = |n: u32| -> String {
        scope! {
            spawn "idle" => |_please_stop| ();
            if n > 9 {
                early!("big".to_owned());
            }
            n.to_string()
        }
    };
    assert_eq!((label(12).as_str(), label(3).as_str()), ("big", "3"));
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
