//! The console's threads: `main/console` accepts, and one child a client
//! sends it snapshots and answers its commands.

use super::error::ServeError;
use super::protocol::{self, Command, Sampler};
use crate::local::blocked::{Blocked, BlockedGuard, Elsewhere};
use crate::signal::{Signal, StopReason};
use crate::sync::Arc;
use crate::sync::real::Mutex;
use crate::thread::Thread;
use crate::thread::current::root;
use crate::thread::node::Node;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How often a client gets a snapshot, until it asks for another interval.
const INTERVAL: Duration = Duration::from_millis(250);

/// How long a client may take to read a line before it is let go: a slow
/// client never holds up the console for long (and never a thread of the
/// tree but its own).
const WRITE_TIMEOUT: Duration = Duration::from_secs(2);

/// A client whose line grows past this without a newline is let go: what
/// it sends is never kept without bound.
const LONGEST_COMMAND: usize = 64 * 1024;

/// The socket of the console this process serves, while it serves one:
/// there is one a process (`<pid>.sock`).
static SERVING: Mutex<Option<PathBuf>> = Mutex::new(None);

/// For [`Main`](crate::Main): serves in [`directory`](super::directory),
/// or logs (ERROR) why not, and the program runs on without it.
pub(crate) fn start() {
    if let Err(error) = serve_in(super::directory()) {
        report!(
            Error,
            "more_threads::console",
            "the console is not served: {}",
            crate::error_chain::with_sources(&error)
        );
    }
}

/// Binds the socket, logs its path (INFO), and starts `console` as a child
/// of the calling thread.
pub(crate) fn serve_in(directory: PathBuf) -> Result<PathBuf, ServeError> {
    let mut serving = SERVING.lock();
    if let Some(socket) = &*serving {
        return Err(ServeError::AlreadyServing {
            socket: socket.clone(),
        });
    }
    let (listener, path) = match super::socket::bind(&directory) {
        Ok(bound) => bound,
        Err(source) => return Err(ServeError::Listen { directory, source }),
    };
    let socket = path.clone();
    let served = Thread::run("console", move |please_stop| {
        let result = serve(&listener, please_stop);
        let _ = std::fs::remove_file(&socket);
        *SERVING.lock() = None;
        if let Err(error) = result {
            report!(
                Error,
                "more_threads::console",
                "the console stopped: {error}"
            );
        }
    });
    match served {
        Ok(_) => {
            // From now on waits note their start and threads keep their
            // last log lines, for the snapshots (it stays set: a console
            // served again later sees the same).
            crate::observed::watch();
            *serving = Some(path.clone());
            drop(serving);
            report!(
                Info,
                "more_threads::console",
                "console at {}",
                path.display()
            );
            Ok(path)
        }
        Err(error) => {
            let _ = std::fs::remove_file(&path);
            Err(ServeError::Thread(error))
        }
    }
}

/// Accepts clients until `please_stop` goes.
fn serve(listener: &UnixListener, please_stop: &Signal) -> io::Result<()> {
    listener.set_nonblocking(true)?;
    // please_stop wakes the poll below through a pipe: no timeout to tick.
    let (woken, wake) = rustix::pipe::pipe()?;
    please_stop.then(move || {
        let _ = rustix::io::write(&wake, b"!");
    });
    let me = rustix::process::getuid();
    let mut clients = 0_u64;
    loop {
        let mut fds = [
            rustix::event::PollFd::new(listener, rustix::event::PollFlags::IN),
            rustix::event::PollFd::new(&woken, rustix::event::PollFlags::IN),
        ];
        // Told to the dump, which would otherwise show the server as
        // running while it sleeps in the poll.
        let polled = {
            let _waiting = idle("waiting for", "a console client".into());
            rustix::event::poll(&mut fds, None)
        };
        match polled {
            Ok(_) | Err(rustix::io::Errno::INTR) => {}
            Err(error) => return Err(error.into()),
        }
        if please_stop.is_go() {
            return Ok(());
        }
        let stream = match listener.accept() {
            Ok((stream, _)) => stream,
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => continue,
            Err(error) => return Err(error),
        };
        let peer = rustix::net::sockopt::socket_peercred(&stream)?;
        if peer.uid != me {
            report!(
                Warn,
                "more_threads::console",
                "refused a console client of another user (uid {}, pid {})",
                peer.uid.as_raw(),
                peer.pid.as_raw_nonzero()
            );
            continue;
        }
        clients += 1;
        let pid = peer.pid.as_raw_nonzero().get();
        let talked = Thread::run(format!("client-{clients}"), move |please_stop| {
            if let Err(error) = talk(&stream, pid, please_stop) {
                report!(Debug, "more_threads::console", "a client left: {error}");
            }
        });
        if let Err(error) = talked {
            report!(
                Warn,
                "more_threads::console",
                "a client was not served: {error}"
            );
        }
    }
}

/// Sends one client the hello, then a snapshot every interval, and answers
/// its commands, until it leaves or `please_stop` goes.
fn talk(stream: &UnixStream, pid: i32, please_stop: &Signal) -> io::Result<()> {
    let closer = stream.try_clone()?;
    // A read in progress ends at once (it reads nothing) when asked to stop.
    please_stop.then(move || {
        let _ = closer.shutdown(std::net::Shutdown::Both);
    });
    stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
    let mut writer = stream;
    let mut send = |line: &str| -> io::Result<()> {
        let mut bytes = Vec::with_capacity(line.len() + 1);
        bytes.extend_from_slice(line.as_bytes());
        bytes.push(b'\n');
        writer.write_all(&bytes)
    };
    send(&protocol::hello(INTERVAL))?;
    let mut sampler = Sampler::new();
    let mut reader = BufReader::new(stream);
    let mut line = Vec::new();
    let mut interval = INTERVAL;
    let mut next = Instant::now();
    while !please_stop.is_go() {
        let now = Instant::now();
        if now >= next {
            send(&sampler.sample())?;
            next += interval;
            if next <= now {
                next = now + interval;
            }
        }
        let wait = next.saturating_duration_since(Instant::now());
        stream.set_read_timeout(Some(wait.max(Duration::from_millis(1))))?;
        // Never more than the longest command kept: `take` bounds a read
        // that a client without newlines would otherwise keep growing.
        let room = (LONGEST_COMMAND + 1).saturating_sub(line.len()) as u64;
        let read = {
            let _waiting = idle("talking to", format!("console client pid {pid}").into());
            (&mut reader).take(room).read_until(b'\n', &mut line)
        };
        match read {
            Ok(0) => return Ok(()),
            Ok(_) if line.ends_with(b"\n") => {
                let command = Command::read(&line);
                if let Ok(Command::Interval { every }) = command {
                    // The next snapshot comes one new interval after the
                    // last, or at once if that is past.
                    let last = next.checked_sub(interval).unwrap_or(next);
                    next = last + every;
                    interval = every;
                }
                send(&answer(command, pid))?;
                line.clear();
            }
            Ok(_) if line.len() > LONGEST_COMMAND => {
                send(&protocol::error(
                    "a command line longer than 64 KiB: goodbye",
                ))?;
                return Ok(());
            }
            Ok(_) => {}
            Err(error)
                if matches!(
                    error.kind(),
                    io::ErrorKind::WouldBlock
                        | io::ErrorKind::TimedOut
                        | io::ErrorKind::Interrupted
                ) => {}
            Err(error) => return Err(error),
        }
    }
    Ok(())
}

/// Records that the calling thread sleeps in the console's socket, for the
/// dump and the snapshot (`waiting for a console client`), until the guard
/// drops.
fn idle(doing: &'static str, what: Arc<str>) -> BlockedGuard {
    Blocked::Elsewhere(Elsewhere {
        doing,
        what,
        quoted: false,
        filed_as: Some("the console's socket"),
    })
    .enter()
}

/// The answer to one command (or the error reading its line) of the
/// client of `pid`.
fn answer(command: Result<Command, String>, pid: i32) -> String {
    let command = match command {
        Ok(command) => command,
        Err(message) => return protocol::error(&message),
    };
    match command {
        Command::Dump => protocol::answer("dump", "text", &crate::thread::dump::dump().to_string()),
        Command::Stop { path } => match find(root(), &path) {
            Some(node) => {
                node.please_stop.go_because(StopReason::Asked {
                    by: format!("console (pid {pid})").into(),
                });
                report!(
                    Info,
                    "more_threads::console",
                    "{path} asked to stop from the console (pid {pid})"
                );
                protocol::answer("stopped", "path", &path)
            }
            None => protocol::error(&format!("no thread at {path}")),
        },
        Command::Profile if crate::profile::is_enabled() => {
            protocol::answer("profile", "text", &crate::profile::report().to_string())
        }
        Command::Timeline { file } if crate::profile::is_enabled() => {
            match crate::profile::report().write_trace(PathBuf::from(&file)) {
                Ok(()) => protocol::answer("timeline", "file", &file),
                Err(error) => protocol::error(&format!("could not write {file}: {error}")),
            }
        }
        Command::Interval { every } => serde_json::json!({
            "type": "interval",
            "ms": u64::try_from(every.as_millis()).unwrap_or(u64::MAX),
        })
        .to_string(),
        Command::Profile | Command::Timeline { .. } => protocol::error(
            "the program is not profiled: start it with MORE_THREADS_PROFILE=path \
             (or Main::profile)",
        ),
    }
}

/// The live thread at `path`, from `node` down.
fn find(node: &Arc<Node>, path: &str) -> Option<Arc<Node>> {
    if &*node.path == path {
        return Some(node.clone());
    }
    if !path
        .strip_prefix(&*node.path)
        .is_some_and(|below| below.starts_with('/'))
    {
        return None;
    }
    node.children().iter().find_map(|child| find(child, path))
}
