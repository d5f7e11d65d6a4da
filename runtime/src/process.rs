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
//! use more_threads::{process::Output, Process, process::ProcessErrorKind};
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
//! # Ok::<(), more_threads::process::ProcessError>(())
//! ```
//!
//! # Never orphaned: what holds, and where
//!
//! A process and what it starts in its process group end with its node,
//! and with our process, however that ends:
//!
//! | how we end | Linux, Android, FreeBSD | macOS, the other BSDs |
//! |---|---|---|
//! | the node's end: `stop`, its parent's end, a scope's end, main's shutdown | SIGTERM to the group, SIGKILL after the grace period | same |
//! | the process exits by itself | what it left in its group: SIGKILL | same (OpenBSD, without `waitid`: left alone) |
//! | our death: `main` returns or panics, `exit`, `abort`, SIGKILL, the OOM killer | the process at once (the parent-death signal); the whole group by the guardian | the whole group by the guardian |
//!
//! The guardian is a small `/bin/sh` started with the first process, in a
//! process group of its own, that holds the other end of a socket only we
//! hold: when we die, by any death, it reads end-of-file and sends SIGKILL
//! to each group of ours still running, then exits (with us, in an orderly
//! end too). What it cannot reach: a process that left its group (`setsid`,
//! a shell's job control); what a process starts in the instant between its
//! start and the guardian hearing of it; anything while the guardian itself
//! is killed (the next process started or ended starts a new one that takes
//! every group over). Without `/bin/sh` a warning is logged once, and our
//! death leaves what the process started (and, off Linux and FreeBSD, the
//! process).
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
