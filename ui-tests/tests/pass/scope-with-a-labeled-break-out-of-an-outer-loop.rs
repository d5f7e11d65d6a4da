//! `break 'search;` inside a block inside two loops leaves the outer one,
//! after the block's children have finished.
#![deny(warnings)]

use more_threads::prelude::*;

fn plain(grid: &[Vec<u32>], target: u32) -> Option<(usize, usize)> {
    let mut found = None;
    'search: for (row_index, row) in grid.iter().enumerate() {
        for (column, _) in row.iter().enumerate() {
            {
                if row[column] == target {
                    found = Some((row_index, column));
                    break 'search;
                }
            }
        }
    }
    found
}

fn scoped(grid: &[Vec<u32>], target: u32) -> Option<(usize, usize)> {
    let mut found = None;
    'search: for (row_index, row) in grid.iter().enumerate() {
        for (column, _) in row.iter().enumerate() {
            scope! {
                let cell = spawn "cell" => move |_please_stop| row[column];
                if cell.join().unwrap() == target {
                    found = Some((row_index, column));
                    break 'search;
                }
            }
        }
    }
    found
}

fn main() {
    let grid = vec![vec![1, 2, 3], vec![4, 5, 6], vec![5, 8, 9]];
    for target in [5, 9, 42] {
        assert_eq!(plain(&grid, target), scoped(&grid, target));
    }
}
