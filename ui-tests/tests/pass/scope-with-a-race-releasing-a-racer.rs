//! `release spawn` in a race starts a racer the scope's end stops rather
//! than waits for; its handle, like every racer's, joins as `()`.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() -> Result<(), ThreadError> {
    let winner = scope! {
        #![first_success]
        release spawn "patient" => |please_stop| {
            please_stop.wait();
            please_stop.check()?;
            Ok::<_, BoxError>("patient")
        };
        let quick = spawn "quick" => |_please_stop| Ok::<_, BoxError>("quick");
        let joined: () = quick.join()?; // its value went to the race
        joined
    }?;
    assert_eq!(winner, "quick");
    Ok(())
}
