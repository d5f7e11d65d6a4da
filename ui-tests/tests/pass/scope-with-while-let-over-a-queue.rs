//! `while let Some(job) = pending.pop()` inside the block, spawning a child
//! per job and summing their results.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let plain = {
        let mut pending = vec![1_u64, 2, 3, 4];
        let mut total = 0;
        while let Some(job) = pending.pop() {
            total += job * job;
        }
        total
    };
    let scoped = scope! {
        let mut pending = vec![1_u64, 2, 3, 4];
        let mut handles = Vec::new();
        while let Some(job) = pending.pop() {
            handles.push(spawn format!("job-{job}") => move |_please_stop| job * job);
        }
        handles.into_iter().map(|h| h.join().unwrap()).sum::<u64>()
    };
    assert_eq!(plain, scoped);
}
