//! A block ending with `panic!(...)` after returns that cover every case
//! taken: its type is `!`, so it fits the fn's `u8`.
#![deny(warnings)]

use more_threads::prelude::*;

fn plain(grade: char) -> u8 {
    {
        if grade == 'A' {
            return 4;
        }
        if grade == 'B' {
            return 3;
        }
        panic!("unknown grade {grade}")
    }
}

fn scoped(grade: char) -> u8 {
    scope! {
        let upper = spawn "upper" => move |_please_stop| grade.to_ascii_uppercase();
        let grade = upper.join().unwrap();
        if grade == 'A' {
            return 4;
        }
        if grade == 'B' {
            return 3;
        }
        panic!("unknown grade {grade}")
    }
}

fn main() {
    assert_eq!(plain('A'), scoped('a'));
    assert_eq!(plain('B'), scoped('B'));
}
