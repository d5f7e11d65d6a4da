//! Child processes in the tree: a subprocess is a node like a thread, its
//! output arrives as lines, its failure carries its last words, and a
//! restart policy can start it again.
//!
//! [`Process::run`] takes a `std::process::Command` and returns a handle
//! like [`Thread`](crate::Thread)'s. The process is a child of the thread
//! that started it and ends with it: its parent's end, [`Process::stop`], a
//! scope's end and main's shutdown send SIGTERM to its whole process group,
//! then SIGKILL after a grace period, so that what it started dies too. It
//! shows in `dump()` (`running process pid N: command line`) and in the
//! report of threads a shutdown could not end. Its stdout and stderr are
//! line [`Queue`](crate::Queue)s or log records ([`Output`]); its stdin a
//! writer ([`Input::Piped`]); a silence timeout ends it when it says nothing
//! for too long.
//!
//! ```
//! use more_threads::{Output, Process, ProcessErrorKind};
//! use std::process::Command;
//!
//! let mut command = Command::new("sh");
//! command.args(["-c", "echo working; echo 'out of disk' >&2; exit 3"]);
//! let job = Process::builder("job", command).stdout(Output::Queue).spawn()?;
//! let lines = job.stdout().unwrap().clone();
//! let error = job.join().unwrap_err();
//! assert_eq!(lines.pop_all(), ["working"]);
//! assert_eq!(error.kind(), ProcessErrorKind::Exited);
//! assert_eq!(error.code(), Some(3));
//! assert_eq!(error.stderr_tail(), ["out of disk"]);
//! # Ok::<(), more_threads::ProcessError>(())
//! ```
//!
//! Built on POSIX calls through rustix; Unix only.

mod error;
mod group;
mod guardian;
mod handle;
mod output;
mod watch;

pub use error::{ProcessError, ProcessErrorKind};
pub use handle::{Process, ProcessBuilder, ProcessStdin};
pub use output::Output;
pub use watch::Input;
