//! `?` inside a macro's arguments acts on the enclosing fn, in the shapes
//! macros take: a list, a repetition (`vec![x?; n]`) and an expression
//! before a pattern (`matches!(x?, ...)`); the last two used to fail with
//! "the `?` operator can only be used in a closure that returns ...".
#![deny(warnings)]

use more_threads::prelude::*;

fn first_is_some(value: Option<Option<u8>>) -> Option<bool> {
    let answer = scope! {
        spawn "idle" => |_please_stop| ();
        matches!(value?, Some(_))
    };
    Some(answer)
}

fn twice(value: Option<u8>) -> Option<Vec<u8>> {
    let both = scope! {
        spawn "idle" => |_please_stop| ();
        vec![value?; 2]
    };
    Some(both)
}

fn sum(text: &str) -> Result<u32, std::num::ParseIntError> {
    let total = scope! {
        spawn "idle" => |_please_stop| ();
        assert!(text.parse::<u32>()? < 100, "{} is too big", text);
        format!("{}", text.parse::<u32>()? + 1).parse::<u32>()?
    };
    Ok(total)
}

fn main() {
    assert_eq!(first_is_some(Some(Some(1))), Some(true));
    assert_eq!(first_is_some(Some(None)), Some(false));
    assert_eq!(first_is_some(None), None);
    assert_eq!(twice(Some(3)), Some(vec![3, 3]));
    assert_eq!(twice(None), None);
    assert_eq!(sum("41"), Ok(42));
    assert!(sum("x").is_err());
}
