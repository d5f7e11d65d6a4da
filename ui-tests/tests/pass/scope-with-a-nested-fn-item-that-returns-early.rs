//! A fn item declared inside the block, with its own `return` and `?`:
//! they act on that fn, not on the enclosing one.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let inputs = ["3", "x", "-4"];
    let plain: Vec<i32> = {
        fn parse_or_zero(text: &str) -> i32 {
            fn parse(text: &str) -> Option<i32> {
                let n: i32 = text.parse().ok()?;
                if n < 0 {
                    return Some(0);
                }
                Some(n)
            }
            parse(text).unwrap_or(-1)
        }
        inputs.iter().map(|t| parse_or_zero(t)).collect()
    };
    let scoped: Vec<i32> = scope! {
        fn parse_or_zero(text: &str) -> i32 {
            fn parse(text: &str) -> Option<i32> {
                let n: i32 = text.parse().ok()?;
                if n < 0 {
                    return Some(0);
                }
                Some(n)
            }
            parse(text).unwrap_or(-1)
        }
        let parsed = spawn "parse" => |_please_stop| inputs.iter().map(|t| parse_or_zero(t)).collect::<Vec<_>>();
        parsed.join().unwrap()
    };
    assert_eq!(plain, scoped);
    assert_eq!(scoped, [3, -1, 0]);
}
