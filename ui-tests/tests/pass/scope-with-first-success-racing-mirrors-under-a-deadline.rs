//! `#![first_success]` with `#![deadline = ...]`: each `spawn` starts a racer,
//! the first `Ok` value is the scope's, and the other racers are asked to
//! stop; a racer's failure stops nobody.
#![deny(warnings)]

use more_threads::prelude::*;
use std::time::Duration;

struct Mirror {
    name: &'static str,
    answers: Option<&'static str>,
}

fn fetch(mirror: &Mirror, please_stop: &Signal) -> Result<&'static str, BoxError> {
    match mirror.answers {
        Some(answer) => Ok(answer),
        None if mirror.name == "down" => Err("connection refused".into()),
        None => {
            please_stop.wait(); // never answers
            please_stop.check()?;
            Err("no answer".into())
        }
    }
}

fn main() -> Result<(), ThreadError> {
    let mirrors = [
        Mirror { name: "stuck", answers: None },
        Mirror { name: "down", answers: None },
        Mirror { name: "up", answers: Some("the data") },
    ];
    let fastest = scope! {
        #![first_success]
        #![deadline = Duration::from_secs(600)]
        for mirror in &mirrors {
            spawn mirror.name => |please_stop| fetch(mirror, please_stop);
        }
    }?;
    assert_eq!(fastest, "the data");
    Ok(())
}
