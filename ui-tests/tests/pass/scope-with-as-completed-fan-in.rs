//! `as_completed(handles)` inside the block: results in the order the
//! children finish, summed with `?` on each.
#![deny(warnings)]

use more_threads::as_completed;
use more_threads::prelude::*;

fn total(chunks: &[Vec<u32>]) -> Result<u32, ThreadError> {
    scope! {
        let handles: Vec<_> = chunks
            .iter()
            .enumerate()
            .map(|(n, chunk)| spawn format!("chunk-{n}") => move |_please_stop| chunk.iter().sum::<u32>())
            .collect();
        let mut total = 0;
        for sum in as_completed(handles) {
            total += sum?;
        }
        Ok(total)
    }
}

fn main() {
    let chunks = vec![vec![1, 2], vec![3], vec![], vec![4, 5, 6]];
    let plain: u32 = chunks.iter().flatten().sum();
    assert_eq!(total(&chunks).unwrap(), plain);
}
