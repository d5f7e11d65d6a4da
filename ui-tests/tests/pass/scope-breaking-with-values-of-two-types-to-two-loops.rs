//! `break 'rows "too big"` and `break 'cells sum` from the same block leave
//! two loops whose values have different types (`&str` and `u32`), as they
//! may from a plain block.
#![deny(warnings)]

use more_threads::prelude::*;

fn plain(rows: &[Vec<u32>]) -> (&'static str, u32) {
    let mut index = 0;
    let mut total = 0;
    let verdict = 'rows: loop {
        let row_sum = 'cells: loop {
            let Some(row) = rows.get(index) else {
                break 'rows "ran out";
            };
            index += 1;
            {
                let sum: u32 = row.iter().sum();
                if sum > 100 {
                    break 'rows "too big";
                }
                if sum % 2 == 0 {
                    break 'cells sum;
                }
            }
        };
        total += row_sum;
        if total > 10 {
            break "enough";
        }
    };
    (verdict, total)
}

fn scoped(rows: &[Vec<u32>]) -> (&'static str, u32) {
    let mut index = 0;
    let mut total = 0;
    let verdict = 'rows: loop {
        let row_sum = 'cells: loop {
            let Some(row) = rows.get(index) else {
                break 'rows "ran out";
            };
            index += 1;
            scope! {
                let sum = spawn "sum" => |_please_stop| row.iter().sum::<u32>();
                let sum = sum.join().unwrap();
                if sum > 100 {
                    break 'rows "too big";
                }
                if sum % 2 == 0 {
                    break 'cells sum;
                }
            }
        };
        total += row_sum;
        if total > 10 {
            break "enough";
        }
    };
    (verdict, total)
}

fn main() {
    let cases = [
        vec![vec![1, 1], vec![3], vec![4, 6]],
        vec![vec![1], vec![200]],
        vec![vec![2]],
    ];
    for rows in &cases {
        assert_eq!(plain(rows), scoped(rows));
    }
}
