//! `rows.iter().map(|row| scope! { ... }).sum()`: a block per item of an
//! iterator chain, its value flowing into `sum`.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let rows = vec![vec![1_u64, 2, 3], vec![], vec![10, 20]];
    let plain: u64 = rows
        .iter()
        .map(|row| {
            let (a, b) = row.split_at(row.len() / 2);
            a.iter().sum::<u64>() + b.iter().sum::<u64>()
        })
        .sum();
    let scoped: u64 = rows
        .iter()
        .map(|row| {
            scope! {
                let (a, b) = row.split_at(row.len() / 2);
                let a = spawn "front" => |_please_stop| a.iter().sum::<u64>();
                let b = spawn "back" => |_please_stop| b.iter().sum::<u64>();
                a.join().unwrap() + b.join().unwrap()
            }
        })
        .sum();
    assert_eq!(plain, scoped);
    assert_eq!(scoped, 36);
}
