//! A struct literal whose field initialisers are `scope!` blocks, with the
//! field init shorthand beside them.
#![deny(warnings)]

use more_threads::prelude::*;

#[derive(Debug, PartialEq)]
struct Report {
    name: &'static str,
    lines: usize,
    longest: usize,
}

fn main() {
    let text = "one\nthree\nfive!";
    let name = "report";
    let plain = Report {
        name,
        lines: { text.lines().count() },
        longest: { text.lines().map(str::len).max().unwrap_or(0) },
    };
    let scoped = Report {
        name,
        lines: scope! {
            let lines = spawn "lines" => |_please_stop| text.lines().count();
            lines.join().unwrap()
        },
        longest: scope! {
            let longest = spawn "longest" => |_please_stop| text.lines().map(str::len).max();
            longest.join().unwrap().unwrap_or(0)
        },
    };
    assert_eq!(plain, scoped);
}
