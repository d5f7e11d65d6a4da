//! `#![deadline = SIGNAL]`: when the Signal goes before the scope ends, every
//! child is asked to stop, and the scope is `Err(DeadlinePassed)` naming
//! each child still running then; the `?` on the stopped child's join
//! gives way to it (the deadline settled the scope first).
#![deny(warnings)]

use more_threads::prelude::*;
use more_threads::thread::ThreadErrorKind;

fn wait_for_an_answer(deadline: &Signal) -> Result<u32, ThreadError> {
    let answer = scope! {
        #![deadline = deadline]
        let asking = spawn "asking" => |please_stop| {
            please_stop.wait(); // no answer ever comes
            please_stop.check()?;
            Ok::<u32, BoxError>(42)
        };
        deadline.go(); // the time is up
        asking.join()?
    };
    answer
}

fn main() {
    let error = wait_for_an_answer(&Signal::new()).unwrap_err();
    assert_eq!(error.kind(), ThreadErrorKind::DeadlinePassed);
    assert!(format!("{error:#}").contains("/asking was "), "{error:#}");
}
