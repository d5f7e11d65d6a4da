//! `write!(out, ...)?` and `writeln!` inside the block of a fn returning
//! `fmt::Result`: the `?` returns the `fmt::Error` from the fn.
#![deny(warnings)]

use more_threads::prelude::*;
use std::fmt::{self, Write};

fn plain(out: &mut String, values: &[u32]) -> fmt::Result {
    {
        let total: u32 = values.iter().sum();
        write!(out, "total={total}")?;
        writeln!(out, " count={}", values.len())?;
    }
    Ok(())
}

fn scoped(out: &mut String, values: &[u32]) -> fmt::Result {
    scope! {
        let total = spawn "total" => |_please_stop| values.iter().sum::<u32>();
        let total = total.join().unwrap();
        write!(out, "total={total}")?;
        writeln!(out, " count={}", values.len())?;
    }
    Ok(())
}

fn main() {
    let values = [2, 3, 4];
    let (mut a, mut b) = (String::new(), String::new());
    plain(&mut a, &values).unwrap();
    scoped(&mut b, &values).unwrap();
    assert_eq!(a, b);
    assert_eq!(b, "total=9 count=3\n");
}
