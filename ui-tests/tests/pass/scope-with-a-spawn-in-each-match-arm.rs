//! A `match` whose arms are `spawn` expressions of different workers, the
//! handle the match's value, joined after.
#![deny(warnings)]

use more_threads::prelude::*;

enum Task {
    Count(&'static str),
    Sum(Vec<u64>),
    Nothing,
}

fn main() {
    let tasks = [Task::Count("a b c"), Task::Sum(vec![4, 5]), Task::Nothing];
    for task in &tasks {
        let plain = match task {
            Task::Count(text) => text.split(' ').count() as u64,
            Task::Sum(values) => values.iter().sum(),
            Task::Nothing => 0,
        };
        let scoped = scope! {
            let handle = match task {
                Task::Count(text) => spawn "count" => move |_please_stop| text.split(' ').count() as u64,
                Task::Sum(values) => spawn "sum" => move |_please_stop| values.iter().sum::<u64>(),
                Task::Nothing => spawn "nothing" => |_please_stop| 0_u64,
            };
            handle.join().unwrap()
        };
        assert_eq!(plain, scoped);
    }
}
