//! A block whose first statement assigns to a variable named `quorum`
//! keeps that assignment, as a plain block does, and is no race: scope!'s
//! options are inner attributes (`#![quorum = N]`), which no statement is.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let mut quorum: u32 = 1;
    let before = quorum;
    let replies = scope! {
        quorum = 3;
        let replies: Vec<_> = (0..quorum)
            .map(|n| spawn format!("replica-{n}") => move |_please_stop| n * 10)
            .collect();
        replies
            .into_iter()
            .map(|reply| reply.join().unwrap())
            .collect::<Vec<u32>>()
    };
    assert_eq!((before, quorum), (1, 3));
    assert_eq!(replies, [0, 10, 20]);
}
