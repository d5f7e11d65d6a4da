//! What `#[more_threads::test]` runs: a test as a registered thread of the
//! tree, whose children must all end cleanly for the test to pass.

use crate::signal::Signal;
use crate::thread::error::{Cause, ThreadError};
use crate::thread::register::RegisterThread;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

/// Runs `body` as the thread `test-NAME` (a child of the root) with its own
/// `please_stop`; when it returns, its children are stopped and joined, and
/// any of their failures that nobody joined fails the test (a panic naming
/// them). A panic in `body` is resumed after the children were joined.
#[doc(hidden)]
pub fn run_test<R>(name: &str, body: impl FnOnce(&Signal) -> R) -> R {
    let registered = RegisterThread::new(format!("test-{name}"));
    let thread = registered.thread();
    let outcome = catch_unwind(AssertUnwindSafe(|| body(thread.please_stop())));
    let failures = registered.end();
    let value = match outcome {
        Ok(value) => value,
        Err(panic) => {
            // The test fails with its own panic; its children's failures
            // are still reported.
            for failure in &failures {
                crate::thread::node::log_unclaimed(failure);
            }
            resume_unwind(panic)
        }
    };
    if !failures.is_empty() {
        let error = ThreadError::new(
            thread.name().into(),
            thread.path().into(),
            Cause::ChildrenFailed,
        )
        .with_children(failures);
        panic!("{error:#}");
    }
    value
}
