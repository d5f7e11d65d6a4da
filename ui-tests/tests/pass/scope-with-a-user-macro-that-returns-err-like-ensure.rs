//! An `ensure!`-style `macro_rules!` of the user's that returns `Err` from
//! the fn when its condition fails, used inside the block.
#![deny(warnings)]

use more_threads::prelude::*;

macro_rules! ensure {
    ($condition:expr, $($message:tt)+) => {
        if !$condition {
            return Err(format!($($message)+));
        }
    };
}

fn plain(ages: &[u8]) -> Result<u32, String> {
    let total = {
        ensure!(!ages.is_empty(), "no ages");
        let total: u32 = ages.iter().map(|&a| u32::from(a)).sum();
        ensure!(total < 300, "total {} too large", total);
        total
    };
    Ok(total)
}

fn scoped(ages: &[u8]) -> Result<u32, String> {
    let total = scope! {
        let sum = spawn "sum" => |_please_stop| ages.iter().map(|&a| u32::from(a)).sum::<u32>();
        ensure!(!ages.is_empty(), "no ages");
        let total = sum.join().unwrap();
        ensure!(total < 300, "total {} too large", total);
        total
    };
    Ok(total)
}

fn main() {
    for ages in [&[][..], &[30, 40][..], &[200, 200][..]] {
        assert_eq!(plain(ages), scoped(ages));
    }
}
