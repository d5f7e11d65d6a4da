//! `?` several times in one method chain
//! (`line.split_once(':')?.1.trim().parse().ok()?`) in a fn returning
//! `Option`.
#![deny(warnings)]

use more_threads::prelude::*;

fn plain(text: &str) -> Option<u16> {
    let port = {
        text.lines()
            .next()?
            .split_once(':')?
            .1
            .trim()
            .parse::<u16>()
            .ok()?
    };
    Some(port)
}

fn scoped(text: &str) -> Option<u16> {
    let port = scope! {
        let count = spawn "count" => |_please_stop| text.lines().count();
        let port = text.lines().next()?.split_once(':')?.1.trim().parse::<u16>().ok()?;
        assert!(count.join().unwrap() >= 1);
        port
    };
    Some(port)
}

fn main() {
    for text in ["host: 8080\nrest", "host 8080", "", "host: big"] {
        assert_eq!(plain(text), scoped(text));
    }
}
