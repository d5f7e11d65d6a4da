//! A `scope!` block is a block: its value's type may come from a `let`, the
//! function or inference, and nothing in the expansion guesses it (it used
//! to force `Result` on every value whose type was not yet known).
#![deny(warnings)]

use more_threads::prelude::*;

fn one_or_two(first: bool) -> i32 {
    scope! {
        spawn "idle" => |_please_stop| ();
        if first { return 1 } else { return 2 }
    }
}

fn a_result_whose_type_comes_from_the_fn() -> Result<i32, String> {
    scope! {
        spawn "idle" => |_please_stop| ();
        Ok(3)
    }
}

fn main() {
    let numbers = vec![1_u32, 2, 3];
    let total: u32 = scope! {
        let child = spawn "child" => |_please_stop| ();
        child.join().unwrap();
        numbers.iter().sum()
    };
    assert_eq!(total, 6);
    let collected: Vec<u32> = scope! {
        spawn "idle" => |_please_stop| ();
        numbers.iter().copied().collect()
    };
    assert_eq!(collected, numbers);
    let widened: i64 = scope! { spawn "idle" => |_please_stop| (); 5_i32.into() };
    assert_eq!(widened, 5);
    let empty: String = scope! { spawn "idle" => |_please_stop| (); Default::default() };
    assert!(empty.is_empty());
    let parsed: u8 = scope! { spawn "idle" => |_please_stop| (); "7".parse().unwrap() };
    assert_eq!(parsed, 7);
    let literal = scope! { let one = spawn "one" => |_please_stop| 1; one.join().unwrap() };
    assert_eq!(literal, 1);
    let nested_literal = scope! { spawn "idle" => |_please_stop| (); scope! { 2 } };
    assert_eq!(nested_literal, 2);
    assert_eq!((one_or_two(true), one_or_two(false)), (1, 2));
    let from_a_let: Result<i32, String> = scope! { spawn "idle" => |_please_stop| (); Ok(4) };
    assert_eq!(from_a_let, Ok(4));
    assert_eq!(a_result_whose_type_comes_from_the_fn(), Ok(3));
}
