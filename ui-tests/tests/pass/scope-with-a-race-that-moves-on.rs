//! `#![quorum = N]` with `#![move_on_after = ...]`: `Ok(None)` when the
//! deadline passes before N racers succeeded, the values so far dropped.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() -> Result<(), ThreadError> {
    let time_is_up = Signal::new();
    let votes: Option<Vec<bool>> = scope! {
        #![move_on_after = &time_is_up]
        #![quorum = 2]
        spawn "yes" => |_please_stop| Ok::<_, BoxError>(true);
        spawn "thinking" => |please_stop| {
            please_stop.wait();
            please_stop.check()?;
            Ok::<_, BoxError>(false)
        };
        time_is_up.go();
    }?;
    assert_eq!(votes, None);
    Ok(())
}
