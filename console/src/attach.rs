//! A connection to one program's console: its hello read, lines sent and
//! read.

use crate::record::Recorder;
use serde_json::Value;
use std::fmt;
use std::io::{self, BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a console may take to say anything before we give up.
const PATIENCE: Duration = Duration::from_secs(5);

/// Why the client could not do what it was asked.
pub(crate) enum Failure {
    /// Bad arguments.
    Usage(String),
    /// No console at the target: no such socket, a stale one, not a console.
    NoConsole(String),
    /// The console refused the command.
    Refused(String),
    /// The connection broke off.
    Broken(io::Error),
    /// A record file could not be written, or read (a bad one).
    Record(String),
    /// The terminal failed the live view.
    Terminal(io::Error),
}

impl Failure {
    pub(crate) fn code(&self) -> u8 {
        match self {
            Failure::Usage(_)
            | Failure::NoConsole(_)
            | Failure::Refused(_)
            | Failure::Record(_) => 2,
            Failure::Broken(_) | Failure::Terminal(_) => 1,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage(what)
            | Failure::NoConsole(what)
            | Failure::Refused(what)
            | Failure::Record(what) => f.write_str(what),
            Failure::Broken(error) => write!(f, "the console broke off: {error}"),
            Failure::Terminal(error) => write!(f, "the terminal failed: {error}"),
        }
    }
}

impl From<io::Error> for Failure {
    fn from(error: io::Error) -> Failure {
        Failure::Broken(error)
    }
}

/// The socket a TARGET names: a pid's in this user's directory, or a path.
pub(crate) fn socket_of(target: &str) -> Result<PathBuf, Failure> {
    if !target.is_empty() && target.bytes().all(|byte| byte.is_ascii_digit()) {
        return Ok(more_threads::console::directory().join(format!("{target}.sock")));
    }
    if target.starts_with('-') || target.is_empty() {
        return Err(Failure::Usage(format!(
            "`{target}` is no TARGET: give a pid or a socket's path"
        )));
    }
    Ok(PathBuf::from(target))
}

/// An open console whose hello was read.
pub(crate) struct Attached {
    pub(crate) pid: u64,
    pub(crate) program: String,
    lines: Lines,
    writer: UnixStream,
}

/// The lines a console sends, each recorded if asked.
pub(crate) struct Lines {
    reader: BufReader<UnixStream>,
    recorder: Option<Recorder>,
    /// Why recording stopped, if it failed: not yet taken.
    record_failure: Option<String>,
}

impl Attached {
    pub(crate) fn to(socket: &Path) -> Result<Attached, Failure> {
        Attached::recording(socket, None)
    }

    /// Attaches, and records every line received (the hello first) with
    /// `recorder`, if given.
    pub(crate) fn recording(
        socket: &Path,
        recorder: Option<Recorder>,
    ) -> Result<Attached, Failure> {
        let no_console =
            |why: String| Failure::NoConsole(format!("no console at {}: {why}", socket.display()));
        let stream = UnixStream::connect(socket).map_err(|error| match error.kind() {
            io::ErrorKind::NotFound => no_console(
                "no such socket (is the program running, with MORE_THREADS_CONSOLE=1?)".to_owned(),
            ),
            io::ErrorKind::ConnectionRefused => {
                no_console("nothing listens there (the program has ended)".to_owned())
            }
            _ => no_console(error.to_string()),
        })?;
        stream.set_read_timeout(Some(PATIENCE))?;
        let writer = stream.try_clone()?;
        let mut attached = Attached {
            pid: 0,
            program: String::new(),
            lines: Lines {
                reader: BufReader::new(stream),
                recorder,
                record_failure: None,
            },
            writer,
        };
        let hello = attached
            .lines
            .next()
            .map_err(|_| no_console("it said no hello (another user's program?)".to_owned()))?;
        if hello["type"] != "hello" {
            return Err(no_console(format!("it is no console: it said {hello}")));
        }
        let version = hello["protocol"].as_u64().unwrap_or(0);
        if version != u64::from(more_threads::console::PROTOCOL_VERSION) {
            return Err(no_console(format!(
                "it speaks protocol {version}, this client speaks {}",
                more_threads::console::PROTOCOL_VERSION
            )));
        }
        attached.pid = hello["pid"].as_u64().unwrap_or(0);
        attached.program = hello["program"].as_str().unwrap_or("?").to_owned();
        Ok(attached)
    }

    /// The lines to come, and the stream to send commands on: for a
    /// reader on a thread of its own, which waits without a time limit.
    pub(crate) fn split(self) -> io::Result<(Lines, UnixStream)> {
        self.lines.reader.get_ref().set_read_timeout(None)?;
        Ok((self.lines, self.writer))
    }

    /// The next line whose `type` is one of `kinds`.
    pub(crate) fn next_of(&mut self, kinds: &[&str]) -> Result<Value, Failure> {
        loop {
            let value = self.lines.next()?;
            if value["type"]
                .as_str()
                .is_some_and(|kind| kinds.contains(&kind))
            {
                return Ok(value);
            }
        }
    }

    /// Why recording failed, if it did.
    pub(crate) fn record_failure(&mut self) -> Option<String> {
        self.lines.record_failure()
    }

    pub(crate) fn send(&mut self, command: &Value) -> Result<(), Failure> {
        let mut line = command.to_string();
        line.push('\n');
        self.writer.write_all(line.as_bytes())?;
        Ok(())
    }
}

impl Lines {
    /// The next line, as JSON, recorded. If recording fails, it stops, and
    /// [`Lines::record_failure`] says why.
    pub(crate) fn next(&mut self) -> io::Result<Value> {
        let mut line = String::new();
        if self.reader.read_line(&mut line)? == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the console closed the connection",
            ));
        }
        let value: Value = serde_json::from_str(&line).map_err(|error| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("the console sent a line that is not JSON ({error})"),
            )
        })?;
        if let Some(recorder) = &mut self.recorder {
            if let Err(why) = recorder.record(&line) {
                self.recorder = None;
                self.record_failure = Some(why);
            }
        }
        Ok(value)
    }

    /// Why recording failed, once.
    pub(crate) fn record_failure(&mut self) -> Option<String> {
        self.record_failure.take()
    }
}
