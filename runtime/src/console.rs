//! A live console: another program attaches to this one over a Unix socket
//! and watches its thread tree — who runs, who waits on what, held by whom —
//! and can stop a subtree.
//!
//! When a service misbehaves in production, a debugger is too much and a log
//! line too little. With the console on, `more-threads-console PID` (the
//! client, a binary crate of this workspace: `cargo install
//! more-threads-console`) shows the live tree in the terminal — folded,
//! sorted by CPU or by time blocked, deadlocked and stuck threads
//! highlighted, what the selected thread waits for and who holds it — and
//! stops a subtree after asking; `--json PID` prints one snapshot as JSON,
//! `--stop main/jobs PID` stops a subtree from a script, and `--record
//! FILE` / `--replay FILE` keep a session and play it back.
//!
//! # Turning it on
//!
//! Off by default, and off it costs nothing: no thread, no socket, no work
//! per event (the runtime records nothing more for it: a Queue or a Process
//! registers once, when it is made, and its adds, pops and lines do nothing
//! for the console). Any one of these turns it on:
//!
//! - `#[more_threads::main(console)]`,
//! - [`Main::console(true)`](crate::Main::console),
//! - `MORE_THREADS_CONSOLE=1` in the environment of a program run by [`Main`](crate::Main),
//! - [`serve()`] or [`serve_in(directory)`](serve_in), called when the
//!   program decides (after reading its command line, say).
//!
//! ```no_run
//! #[more_threads::main(console)]
//! fn main() {
//!     please_stop.wait(); // attach with `more-threads-console --json <pid>`
//! }
//! ```
//!
//! What a client receives at each tick is what a [`Sampler`] takes:
//!
//! ```
//! let snapshot = more_threads::console::Sampler::new().sample();
//! let snapshot: serde_json::Value = serde_json::from_str(&snapshot).unwrap();
//! assert_eq!(snapshot["threads"][0]["path"], "main");
//! ```
//!
//! At start the program logs (INFO) where it listens:
//! `$XDG_RUNTIME_DIR/more-threads/<pid>.sock`, or, without
//! `XDG_RUNTIME_DIR`, `<temp dir>/more-threads-<uid>/<pid>.sock` (see
//! [`directory`]). Only its user can open it: the directory is made 0700
//! (an existing one must be the user's, not a symbolic link, and open to no
//! one else, or the console is not served and says why), the socket is
//! 0600, and a peer whose credentials (`SO_PEERCRED`) name another uid is
//! refused (logged at WARN) before it is sent anything. The server is a
//! thread of the tree, `main/console`, with one child per client
//! (`main/console/client-N`); it stops with main's `please_stop` and removes
//! its socket then.
//!
//! # The protocol, version 1
//!
//! Newline-delimited JSON, one object a line. On connecting, the server
//! sends a `hello`, then a full `snapshot` at once and another at every
//! sampling interval (250 ms, unless the client asks for another). The
//! snapshots are whole, not changes: a client keeps no state, and a tick
//! costs one [`dump`](crate::dump()), one [`health()`](crate::health()), a
//! read of the live queues and processes, and one line of JSON (about a
//! millisecond for a thousand threads; see the README's "Live console"). A
//! thread's fields:
//!
//! | field | meaning |
//! |---|---|
//! | `path`, `name` | as in the dump |
//! | `state` | the dump's state: `running`, `blocked on Lock "work", held by main/holder`, `joining "main/x"`, `finished` |
//! | `blocked_on` | what it waits for (`Lock "work"`), or `null` |
//! | `blocked_ms` | for how long it has been in the wait its `state` names (what `blocked_on` names, or a join, a child process's run): `null` when it waits for nothing, or when the wait began before the console was served (and the thread has no stuck [budget](crate::health::budget)) |
//! | `holder` | the path of the thread holding the Lock it waits for, or `null` |
//! | `age_ms` | how long it has lived |
//! | `cpu_ms`, `cpu_percent` | its CPU time, and its share of one core since the last snapshot: only when the program is [profiled](crate::profile) (on Linux), else `null` |
//! | `restarts` | how many times its restart policy started it again |
//! | `stop_reason` | why it was asked to stop, if it was and still runs, else `null` |
//! | `note` | what a service on it says of itself (a supervisor's strategy), or `null` |
//! | `in_deadlock` | whether it is in a cycle of waits |
//! | `logs` | its last log lines, oldest first, at most 3, each its level and message cut at 200 bytes (`"WARN retrying host 3"`); only for a thread that logged since the console was served, through the runtime's logger ([`logging`](crate::logging)): absent otherwise |
//!
//! Beside the threads, a snapshot lists:
//!
//! - `queues`: every live [`Queue`](crate::Queue) and
//!   [`PriorityQueue`](crate::PriorityQueue), in the order they were made
//!   (two of one name are two entries), as `{"name":"jobs","len":3,
//!   "capacity":1024,"closed":false,"adders_blocked":0,"poppers_blocked":2}`:
//!   `capacity` is `null` when unbounded; the blocked adders wait for room,
//!   the blocked poppers for an item (a thread in
//!   [`wait_empty`](crate::Queue::wait_empty) is neither). The queues a
//!   Process or a pool makes for itself are there too.
//! - `processes`: every child [`Process`](crate::Process) started and not
//!   yet let go (its handle, or its node, still holds it), as
//!   `{"pid":4243,"command":"sleep 10","path":"main/sleeper","state":"running"}`:
//!   `path` is the node that watches it (or `null`), `state` is `running`,
//!   or how its last run ended (`exited 0`, `killed by SIGTERM`) while its
//!   handle is still held.
//! - `deadlocks`: each cycle of waits, as [`dump()`](crate::dump()) tells it.
//! - `health`: the verdict of [`health()`](crate::health()),
//!   `{"healthy":false,"reasons":["main/worker is stuck: blocked on Signal \"reply\" for 31.0s"]}`,
//!   each reason as it is written.
//!
//! The sampler never blocks a thread of the tree for longer than a copy:
//! it takes each thread's slot lock as the dump does, a PriorityQueue's
//! lock to read its length, and the registries' own locks, which no
//! thread takes but to register once. What only a served console needs
//! (the start of a wait, a thread's last lines) costs nothing until one
//! is: a wait, and a record logged, read one flag.
//!
//! A client sends commands, one JSON object a line, and gets one answer
//! each (between the snapshots):
//!
//! | command | answer |
//! |---|---|
//! | `{"command":"dump"}` | `{"type":"dump","text":"main (3.2s) …"}`, the text of [`dump()`](crate::dump()) |
//! | `{"command":"stop","path":"main/jobs"}` | `{"type":"stopped","path":"main/jobs"}`: that thread's `please_stop` went, with [`StopReason::Asked`](crate::signal::StopReason::Asked) `by` `console (pid N)` (N the client's pid), so its subtree stops |
//! | `{"command":"profile"}` | `{"type":"profile","text":"…"}`, the [profile](crate::profile)'s table, if the program is profiled |
//! | `{"command":"timeline","file":"/tmp/t.json"}` | `{"type":"timeline","file":"/tmp/t.json"}`: the profile's timeline written there |
//! | `{"command":"interval","ms":1000}` | `{"type":"interval","ms":1000}`: this client's snapshots come every `ms` from now on (10 to 60,000) |
//!
//! Anything else, or a command that cannot be done, is answered
//! `{"type":"error","message":"…"}`; the connection stays open.
//!
//! An exchange (`>` the client, `<` the server; the lines are shortened):
//!
//! ```text
//! < {"type":"hello","protocol":1,"pid":4242,"program":"tour","interval_ms":250}
//! < {"type":"snapshot","threads":[{"path":"main","state":"blocked on Signal \"please_stop of main\"",…},{"path":"main/waiter","state":"blocked on Lock \"work\", held by main/holder","blocked_on":"Lock \"work\"","blocked_ms":1250,"holder":"main/holder",…,"logs":["INFO waiting for the work"]}],"queues":[{"name":"jobs","len":3,…}],"processes":[],"deadlocks":[],"health":{"healthy":true,"reasons":[]}}
//! > {"command":"stop","path":"main/group"}
//! < {"type":"stopped","path":"main/group"}
//! < {"type":"snapshot",…}
//! ```
//!
//! Fields are added within a version (`blocked_ms`, `logs`, `queues`,
//! `processes` and `health` were); a version 2 may change or remove them.
//! A client should ignore what it does not know, take `logs` as optional,
//! and check `protocol` in the hello.
//!
//! # What it does not show
//!
//! Log lines logged through another logger than the runtime's (a thread's
//! `logs` are kept by [`logging`](crate::logging)'s), or before the console
//! was served; the start of a wait begun before it was served; the items
//! in a queue (only how many); processes started otherwise than by
//! [`Process`](crate::Process).

mod error;
mod protocol;
mod server;
mod socket;

pub use error::ServeError;
pub use protocol::{PROTOCOL_VERSION, Sampler};
pub(crate) use server::start;
pub use socket::directory;
use std::path::{Path, PathBuf};

/// Serves the console from now on, in [`directory`], as a child of the
/// calling thread named `console`: for a program that decides late (from
/// its command line, say) whether to be observed. It stops, and removes its
/// socket, when the calling thread's `please_stop` goes. Gives the socket's
/// path, also logged (INFO).
///
/// A process serves one console at a time: while one is served, this is
/// [`ServeError::AlreadyServing`].
///
/// ```no_run
/// #[more_threads::main]
/// fn main() -> Result<(), more_threads::console::ServeError> {
///     if std::env::args().any(|arg| arg == "--console") {
///         let socket = more_threads::console::serve()?;
///         println!("attach with: more-threads-console {}", socket.display());
///     }
///     please_stop.wait();
///     Ok(())
/// }
/// ```
pub fn serve() -> Result<PathBuf, ServeError> {
    server::serve_in(directory())
}

/// [`serve`], with the socket in `directory` (made 0700 if it is not
/// there; one that is there must be the user's, no symbolic link, and open
/// to no one else). A client attaches by the socket's path, which this
/// gives: `more-threads-console DIRECTORY/PID.sock`.
///
/// ```
/// use more_threads::console;
///
/// let directory = std::env::temp_dir().join(format!("console-doc-{}", std::process::id()));
/// let socket = console::serve_in(&directory).unwrap();
/// assert_eq!(socket, directory.join(format!("{}.sock", std::process::id())));
/// // A second console in the same process is refused:
/// assert!(matches!(
///     console::serve(),
///     Err(console::ServeError::AlreadyServing { .. })
/// ));
/// # std::fs::remove_dir_all(&directory).unwrap();
/// ```
pub fn serve_in(directory: impl AsRef<Path>) -> Result<PathBuf, ServeError> {
    server::serve_in(directory.as_ref().to_owned())
}

/// Whether `MORE_THREADS_CONSOLE` asks for the console: set, and neither
/// empty nor `0`.
pub(crate) fn wanted_from_env() -> bool {
    std::env::var_os("MORE_THREADS_CONSOLE").is_some_and(|value| !value.is_empty() && value != "0")
}
