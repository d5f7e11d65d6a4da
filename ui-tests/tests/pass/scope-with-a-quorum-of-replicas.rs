//! `#![quorum = N]`: the scope is decided by the Nth success, and its value
//! is the first N values in a `Vec`; the other racers are asked to stop.
#![deny(warnings)]

use more_threads::prelude::*;

struct Replica {
    name: String,
    version: u64,
}

fn ask(replica: &Replica) -> impl Fn(&Signal) -> Result<u64, BoxError> + Send + '_ {
    move |_please_stop| Ok(replica.version)
}

fn main() -> Result<(), ThreadError> {
    let replicas: Vec<Replica> = (0..3)
        .map(|n| Replica { name: format!("replica-{n}"), version: 7 })
        .collect();
    let majority = replicas.len() / 2 + 1;
    let replies = scope! {
        #![quorum = majority]
        for replica in &replicas {
            spawn replica.name.as_str() => ask(replica);
        }
    }?;
    assert_eq!(replies, [7, 7]);
    Ok(())
}
