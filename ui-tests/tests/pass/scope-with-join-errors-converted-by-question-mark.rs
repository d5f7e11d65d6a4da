//! `handle.join()?` in a fn whose error type has `From<ThreadError>`: a
//! child's failure becomes the fn's `Err`, converted by the `?`.
#![deny(warnings)]

use more_threads::prelude::*;

#[derive(Debug)]
enum JobError {
    Thread(String),
    Empty,
}

impl From<ThreadError> for JobError {
    fn from(error: ThreadError) -> Self {
        JobError::Thread(error.to_string())
    }
}

fn total(values: &[i32]) -> Result<i32, JobError> {
    let total = scope! {
        let checked = spawn "check" => |_please_stop| {
            if values.iter().any(|v| *v < 0) {
                Err("a negative value")
            } else {
                Ok(values.iter().sum::<i32>())
            }
        };
        if values.is_empty() {
            return Err(JobError::Empty);
        }
        checked.join()?
    };
    Ok(total)
}

fn main() {
    assert_eq!(total(&[1, 2, 3]).unwrap(), 6);
    assert!(matches!(total(&[]), Err(JobError::Empty)));
    match total(&[1, -2]) {
        Err(JobError::Thread(message)) => {
            assert!(message.ends_with("/check failed"), "{message}");
        }
        other => panic!("expected the child's failure, got {other:?}"),
    }
}
