//! A `scope!` as the value of one match arm, beside arms that are plain
//! expressions: the block has the type the other arms have.
#![deny(warnings)]

use more_threads::prelude::*;

enum Job {
    Nothing,
    Fixed(u64),
    Sum(Vec<u64>),
}

fn plain(job: &Job) -> u64 {
    match job {
        Job::Nothing => 0,
        Job::Fixed(value) => *value,
        Job::Sum(values) => {
            let (left, right) = values.split_at(values.len() / 2);
            left.iter().sum::<u64>() + right.iter().sum::<u64>()
        }
    }
}

fn scoped(job: &Job) -> u64 {
    match job {
        Job::Nothing => 0,
        Job::Fixed(value) => *value,
        Job::Sum(values) => scope! {
            let (left, right) = values.split_at(values.len() / 2);
            let left = spawn "left" => |_please_stop| left.iter().sum::<u64>();
            let right = spawn "right" => |_please_stop| right.iter().sum::<u64>();
            left.join().unwrap() + right.join().unwrap()
        },
    }
}

fn main() {
    for job in [Job::Nothing, Job::Fixed(7), Job::Sum(vec![1, 2, 3, 4, 5])] {
        assert_eq!(plain(&job), scoped(&job));
    }
}
