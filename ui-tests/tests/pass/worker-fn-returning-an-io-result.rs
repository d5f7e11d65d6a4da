//! A `#[worker]` fn returning `std::io::Result<Vec<String>>` that writes to
//! and reads from an in-memory buffer with `?`.
#![deny(warnings)]

use more_threads::prelude::*;
use std::io::{BufRead, Cursor, Write};

#[worker]
fn lines(words: &[&str]) -> std::io::Result<Vec<String>> {
    let mut buffer = Vec::new();
    for word in words {
        writeln!(buffer, "{word}")?;
    }
    Cursor::new(buffer).lines().collect()
}

fn main() {
    let words = ["alpha", "beta"];
    let scoped = scope! {
        let lines = spawn "lines" => lines(&words);
        lines.join().unwrap()
    };
    assert_eq!(scoped, ["alpha", "beta"]);
}
