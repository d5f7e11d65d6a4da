//! `#![move_on_after = ...]`: `Ok(None)` once the deadline passed,
//! `Ok(Some(value))` when the block ended in time (Trio's `move_on_after`).
#![deny(warnings)]

use more_threads::prelude::*;
use std::time::Duration;

fn main() -> Result<(), ThreadError> {
    let gave_up: Option<()> = scope! {
        #![move_on_after = Duration::from_millis(10)]
        spawn "slow" => |please_stop| please_stop.wait();
    }?;
    assert_eq!(gave_up, None);

    let numbers = [1_u32, 2, 3];
    let in_time = scope! {
        #![move_on_after = Till::seconds(600.0)]
        let sum = spawn "sum" => |_please_stop| numbers.iter().sum::<u32>();
        sum.join()?
    }?;
    assert_eq!(in_time, Some(6));
    Ok(())
}
