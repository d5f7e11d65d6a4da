//! A child's stdout and stderr, line by line: to a line Queue or to the
//! log, with the last lines of stderr kept for its failure, and the time of
//! the last output kept for its silence timeout.

use crate::queue::Queue;
use crate::signal::Signal;
use crate::sync::Arc;
use crate::sync::real::{AtomicU64, Mutex, Ordering};
use rustix::event::{PollFd, PollFlags};
use std::collections::VecDeque;
use std::io::Read;
use std::os::fd::AsFd;
use std::time::{Duration, Instant};

/// Where a stream of a child process goes; set per stream with
/// [`ProcessBuilder::stdout`](crate::process::ProcessBuilder::stdout) and
/// [`stderr`](crate::process::ProcessBuilder::stderr).
///
/// ```
/// use more_threads::{process::Output, Process};
/// use std::process::Command;
///
/// let mut command = Command::new("printf");
/// command.arg("one\ntwo\n");
/// let process = Process::builder("printer", command).stdout(Output::Queue).spawn()?;
/// let lines = process.stdout().unwrap().clone();
/// process.join()?;
/// assert_eq!(lines.pop_all(), ["one", "two"]);
/// # Ok::<(), more_threads::process::ProcessError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Output {
    /// A line [`Queue`] (`Queue<String>`, lossy UTF-8, without the line
    /// end), from [`Process::stdout`](crate::Process::stdout) or
    /// [`stderr`](crate::Process::stderr): every line, in order; it closes
    /// when the process has ended (after its last restart). Unbounded, so
    /// that a chatty process never waits on its reader: pop it, or choose
    /// `Log` or `Null` for output nobody reads.
    Queue,
    /// A log record per line at this level (target
    /// `more_threads::process`), about the process: its `thread` and
    /// `path` key-values are the process's.
    Log(log::Level),
    /// Ours: the child writes where we write.
    Inherit,
    /// Discarded (`/dev/null`).
    Null,
}

/// The last lines of stderr kept for a failure.
pub(super) const TAIL_LINES: usize = 20;

/// Where one stream's lines go.
#[derive(Clone)]
pub(super) enum Destination {
    Queue(Queue<String>),
    Log {
        level: log::Level,
        name: Arc<str>,
        path: Arc<str>,
    },
    Nowhere,
}

impl Destination {
    fn deliver(&self, line: String) {
        match self {
            // A queue the user closed wants no more lines.
            Destination::Queue(queue) => drop(queue.add(line)),
            Destination::Log { level, name, path } => log::log!(
                target: "more_threads::process",
                *level,
                thread = &**name,
                path = &**path;
                "{line}"
            ),
            Destination::Nowhere => {}
        }
    }
}

/// The last lines of a stream.
#[derive(Default)]
pub(super) struct Tail(Mutex<VecDeque<String>>);

impl Tail {
    fn keep(&self, line: &str) {
        let mut lines = self.0.lock();
        if lines.len() == TAIL_LINES {
            lines.pop_front();
        }
        lines.push_back(line.to_owned());
    }

    pub(super) fn lines(&self) -> Vec<String> {
        self.0.lock().iter().cloned().collect()
    }
}

/// When the process last wrote anything, on either stream.
pub(super) struct Heard {
    base: Instant,
    /// Nanoseconds after `base`, plus one; 0 for never.
    last: AtomicU64,
    /// Goes at the first output: the start-up timeout gives way to the
    /// silence timeout then, and the watchdog must hear of it.
    pub(super) first: Signal,
}

impl Heard {
    pub(super) fn new() -> Heard {
        Heard {
            base: Instant::now(),
            last: AtomicU64::new(0),
            first: Signal::named("first output"),
        }
    }

    fn now(&self) {
        let nanos = u64::try_from(self.base.elapsed().as_nanos()).unwrap_or(u64::MAX - 1);
        if self.last.swap(nanos + 1, Ordering::Relaxed) == 0 {
            self.first.go();
        }
    }

    /// When it started (if it never wrote) or last wrote.
    pub(super) fn last(&self) -> (Instant, bool) {
        match self.last.load(Ordering::Relaxed) {
            0 => (self.base, false),
            nanos => (self.base + Duration::from_nanos(nanos - 1), true),
        }
    }
}

/// Reads `stream` to its end, or until `give_up` goes, handing each line to
/// `destination` (and `tail`). Sleeps in `poll` on the stream and on a
/// pipe that `give_up` writes to: it wakes for output or for that, never
/// to look.
pub(super) fn read_lines<S: Read + AsFd>(
    mut stream: S,
    give_up: &Signal,
    destination: &Destination,
    tail: Option<&Tail>,
    heard: &Heard,
) {
    let deliver = |bytes: &[u8]| {
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        let line = String::from_utf8_lossy(bytes).into_owned();
        if let Some(tail) = tail {
            tail.keep(&line);
        }
        destination.deliver(line);
    };
    // Without a pipe for the wake-up, it reads to the end, which comes when
    // the process's group has ended.
    let woken = rustix::pipe::pipe().ok().map(|(woken, wake)| {
        let wake = Arc::new(wake);
        give_up.then(move || {
            let _ = rustix::io::write(&*wake, &[1]);
        });
        woken
    });
    let mut pending = Vec::new();
    let mut buffer = vec![0_u8; 64 * 1024];
    loop {
        let mut gave_up = false;
        if let Some(woken) = &woken {
            let fd = stream.as_fd();
            let mut fds = [
                PollFd::new(&fd, PollFlags::IN),
                PollFd::new(woken, PollFlags::IN),
            ];
            match rustix::event::poll(&mut fds, None) {
                Ok(_) => {}
                Err(rustix::io::Errno::INTR) => continue,
                Err(_) => break,
            }
            gave_up = !fds[1].revents().is_empty();
            if gave_up && fds[0].revents().is_empty() {
                break;
            }
        }
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => {
                heard.now();
                split_lines(&mut pending, &buffer[..read], &deliver);
            }
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
        if gave_up {
            break;
        }
    }
    if !pending.is_empty() {
        deliver(&pending);
    }
}

/// Appends `read` to `pending`, delivering each whole line.
fn split_lines(pending: &mut Vec<u8>, read: &[u8], deliver: &impl Fn(&[u8])) {
    let mut rest = read;
    while let Some(end) = rest.iter().position(|byte| *byte == b'\n') {
        if pending.is_empty() {
            deliver(&rest[..end]);
        } else {
            pending.extend_from_slice(&rest[..end]);
            deliver(pending);
            pending.clear();
        }
        rest = &rest[end + 1..];
    }
    pending.extend_from_slice(rest);
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::split_lines;
    use std::cell::RefCell;

    #[test]
    fn lines_are_split_across_reads_and_keep_their_order() {
        let lines = RefCell::new(Vec::new());
        let deliver = |bytes: &[u8]| lines.borrow_mut().push(bytes.to_vec());
        let mut pending = Vec::new();
        split_lines(&mut pending, b"one\ntw", &deliver);
        split_lines(&mut pending, b"o\n\nthree", &deliver);
        assert_eq!(
            *lines.borrow(),
            [b"one".to_vec(), b"two".to_vec(), Vec::new()]
        );
        assert_eq!(pending, b"three");
    }
}
