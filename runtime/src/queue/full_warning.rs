//! The full-queue warning: an adder that has waited on a full queue too
//! long says so in the log, once per wait, naming the queue (the thread's
//! name and path ride on the record), then goes on waiting.

use crossbeam_channel::{Select, SelectedOperation};
use std::time::Duration;

/// Waits for one of `select`'s operations; if none is ready `after` that
/// long (`None`: never warn), warns that queue `name` has been full for it.
pub(super) fn select<'a>(
    select: &mut Select<'a>,
    name: &str,
    after: Option<Duration>,
) -> SelectedOperation<'a> {
    let Some(after) = after else {
        return select.select();
    };
    match select.select_timeout(after) {
        Ok(operation) => operation,
        Err(_) => {
            report!(
                Warn,
                "more_threads::queue",
                "queue {name:?} has been full for {after:?}: this thread is waiting to add to it"
            );
            select.select()
        }
    }
}
