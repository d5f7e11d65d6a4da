//! `if let ... else if let ... else` at the block's end, choosing between a
//! child's value and fallbacks.
#![deny(warnings)]

use more_threads::prelude::*;

fn plain(primary: Option<&str>, backup: Option<&str>) -> String {
    if let Some(name) = primary {
        name.to_uppercase()
    } else if let Some(name) = backup {
        format!("{name}?")
    } else {
        "nobody".to_owned()
    }
}

fn scoped(primary: Option<&str>, backup: Option<&str>) -> String {
    scope! {
        let upper = spawn "upper" => move |_please_stop| primary.map(str::to_uppercase);
        if let Some(name) = upper.join().unwrap() {
            name
        } else if let Some(name) = backup {
            format!("{name}?")
        } else {
            "nobody".to_owned()
        }
    }
}

fn main() {
    for (a, b) in [(Some("ann"), None), (None, Some("bo")), (None, None)] {
        assert_eq!(plain(a, b), scoped(a, b));
    }
}
