//! [`Config`]: what the central logger filters, how it writes, and where.

use super::logger::Logger;
use crate::sync::Arc;
use crate::sync::real::Mutex;
use std::error::Error;
use std::fmt;
use std::io::Write;
use std::path::PathBuf;

/// How the central logger is set up: its filter, line format, output,
/// channel size and what a caller does when the channel is full.
///
/// The defaults: the filter in `RUST_LOG` (env_logger's syntax), or, with
/// `RUST_LOG` unset or empty, `info` (INFO, WARN and ERROR are written:
/// env_logger's own default would be errors only); text lines; stderr;
/// room for 8,192 records; a caller waits for room.
///
/// ```
/// use more_threads::logging::{Config, Format, WhenFull};
///
/// let logger = Config::new()
///     .filter("warn,my_crate=debug") // env_logger's syntax
///     .format(Format::Json)
///     .to_writer(std::io::sink())
///     .capacity(1024)
///     .when_full(WhenFull::Drop)
///     .build()?;
/// assert!(format!("{logger:?}").starts_with("Logger"));
/// # Ok::<(), more_threads::logging::LogError>(())
/// ```
#[derive(Clone)]
#[must_use = "a Config does nothing until build() or install()"]
pub struct Config {
    pub(super) filter: Option<String>,
    pub(super) format: Format,
    pub(super) target: Target,
    pub(super) capacity: usize,
    pub(super) when_full: WhenFull,
    pub(super) synchronous: bool,
}

/// Where the lines go.
#[derive(Clone)]
pub(super) enum Target {
    Stderr,
    File(PathBuf),
    Writer(SharedWriter),
}

/// A writer given to [`Config::to_writer`], shared by the clones of the
/// config (a `Main` that holds one is `Clone`).
#[derive(Clone)]
pub(super) struct SharedWriter(Arc<Mutex<Box<dyn Write + Send>>>);

impl Write for SharedWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().write(bytes)
    }

    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.0.lock().write_all(bytes)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.lock().flush()
    }
}

/// How a record is written.
///
/// ```
/// let config = more_threads::logging::Config::new().format(more_threads::logging::Format::Json);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// `2026-12-01T18:38:50.123Z INFO  [main/crawler] fetched 3 pages job=42`:
    /// time (UTC), level, the path of the thread that logged it, message,
    /// key-values.
    Text,
    /// One JSON object a line: `time`, `level`, `target`, `thread`, `path`,
    /// `message`, and the key-values under `kv`.
    Json,
}

/// What a caller does when the channel to the logger thread is full.
///
/// ```
/// let config = more_threads::logging::Config::new().when_full(more_threads::logging::WhenFull::Drop);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WhenFull {
    /// Wait for room: no record is lost, and a caller can be slowed down to
    /// the writer's pace (the default).
    Block,
    /// Drop the record and count it: a caller never waits; the logger
    /// writes how many it dropped, at `WARN`, as soon as it can.
    Drop,
}

impl Config {
    /// The defaults, with the filter from `RUST_LOG`, or `info` when it is
    /// unset or empty.
    ///
    /// ```
    /// let logger = more_threads::logging::Config::new().build()?;
    /// # Ok::<(), more_threads::logging::LogError>(())
    /// ```
    pub fn new() -> Config {
        Config {
            filter: None,
            format: Format::Text,
            target: Target::Stderr,
            capacity: 8192,
            when_full: WhenFull::Block,
            synchronous: false,
        }
    }

    /// The defaults, then what the environment asks for:
    /// `MORE_THREADS_LOG_FORMAT=json` for JSON lines, and
    /// `MORE_THREADS_LOG_FILE=path` to write to a file. What
    /// `#[more_threads::main]` installs.
    ///
    /// ```
    /// let config = more_threads::logging::Config::from_env();
    /// ```
    pub fn from_env() -> Config {
        let mut config = Config::new();
        if std::env::var("MORE_THREADS_LOG_FORMAT").is_ok_and(|format| format == "json") {
            config = config.format(Format::Json);
        }
        if let Some(path) = std::env::var_os("MORE_THREADS_LOG_FILE") {
            config = config.to_file(path);
        }
        config
    }

    /// Filters with `spec`, in env_logger's syntax (`warn`,
    /// `my_crate=debug,hyper=off`, `info/regex`...), instead of `RUST_LOG`
    /// (which is then not read, set or not).
    ///
    /// ```
    /// let logger = more_threads::logging::Config::new().filter("my_crate::db=trace").build()?;
    /// # Ok::<(), more_threads::logging::LogError>(())
    /// ```
    pub fn filter(mut self, spec: impl Into<String>) -> Config {
        self.filter = Some(spec.into());
        self
    }

    /// Text lines or JSON lines.
    ///
    /// ```
    /// let config = more_threads::logging::Config::new().format(more_threads::logging::Format::Text);
    /// ```
    pub fn format(mut self, format: Format) -> Config {
        self.format = format;
        self
    }

    /// Writes to stderr (the default).
    ///
    /// ```
    /// let config = more_threads::logging::Config::new().to_stderr();
    /// ```
    pub fn to_stderr(mut self) -> Config {
        self.target = Target::Stderr;
        self
    }

    /// Appends to the file at `path`, created if missing.
    ///
    /// ```
    /// let config = more_threads::logging::Config::new().to_file("/tmp/service.log");
    /// ```
    pub fn to_file(mut self, path: impl Into<PathBuf>) -> Config {
        self.target = Target::File(path.into());
        self
    }

    /// Writes to `writer` (buffered by the logger; flushed whenever the
    /// logger thread has nothing left to write, and on [`flush`](super::flush)).
    ///
    /// ```
    /// let config = more_threads::logging::Config::new().to_writer(std::io::sink());
    /// ```
    pub fn to_writer(mut self, writer: impl Write + Send + 'static) -> Config {
        self.target = Target::Writer(SharedWriter(Arc::new(Mutex::new(Box::new(writer)))));
        self
    }

    /// How many records the channel to the logger thread holds (at least 1;
    /// default 8,192): the bound on the memory records in flight take.
    ///
    /// ```
    /// let config = more_threads::logging::Config::new().capacity(100_000);
    /// ```
    pub fn capacity(mut self, records: usize) -> Config {
        self.capacity = records.max(1);
        self
    }

    /// What a caller does when the channel is full: wait (the default), or
    /// drop the record and count it.
    ///
    /// ```
    /// let config = more_threads::logging::Config::new().when_full(more_threads::logging::WhenFull::Drop);
    /// ```
    pub fn when_full(mut self, policy: WhenFull) -> Config {
        self.when_full = policy;
        self
    }

    /// Writes every record on the caller's thread instead, before `log!`
    /// returns: no logger thread. For comparison, and for programs that must
    /// see each line written before they go on (default: no).
    ///
    /// ```
    /// let config = more_threads::logging::Config::new().synchronous(true);
    /// ```
    pub fn synchronous(mut self, synchronous: bool) -> Config {
        self.synchronous = synchronous;
        self
    }

    /// Makes the logger (and starts its thread), without installing it.
    ///
    /// # Errors
    ///
    /// [`LogErrorKind::Filter`] for a filter given to
    /// [`filter`](Config::filter) that does not parse;
    /// [`LogErrorKind::OpenFile`] when the file cannot be opened.
    ///
    /// ```
    /// use log::Log;
    ///
    /// let logger = more_threads::logging::Config::new().to_writer(std::io::sink()).build()?;
    /// logger.log(&log::Record::builder().args(format_args!("hello")).level(log::Level::Info).build());
    /// logger.flush();
    /// # Ok::<(), more_threads::logging::LogError>(())
    /// ```
    pub fn build(self) -> Result<Logger, LogError> {
        Logger::start(self)
    }

    /// Makes the logger and installs it as the process's `log` logger.
    ///
    /// # Errors
    ///
    /// As [`build`](Config::build), and [`LogErrorKind::AlreadyInstalled`]
    /// when the process already has a logger (the program's own, say).
    ///
    /// ```
    /// more_threads::logging::Config::new().filter("info").install()?;
    /// log::info!("written by the logger thread");
    /// let again = more_threads::logging::Config::new().install().unwrap_err();
    /// assert_eq!(again.kind(), more_threads::logging::LogErrorKind::AlreadyInstalled);
    /// # Ok::<(), more_threads::logging::LogError>(())
    /// ```
    pub fn install(self) -> Result<(), LogError> {
        self.build()?.install()
    }
}

impl Default for Config {
    /// Same as [`Config::new`].
    fn default() -> Config {
        Config::new()
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let target = match &self.target {
            Target::Stderr => "stderr".to_owned(),
            Target::File(path) => format!("{}", path.display()),
            Target::Writer(_) => "a writer".to_owned(),
        };
        f.debug_struct("Config")
            .field("filter", &self.filter)
            .field("format", &self.format)
            .field("target", &target)
            .field("capacity", &self.capacity)
            .field("when_full", &self.when_full)
            .field("synchronous", &self.synchronous)
            .finish()
    }
}

/// Why a logger could not be made or installed; `source()` says why.
///
/// ```
/// use more_threads::logging::{Config, LogErrorKind};
///
/// let error = Config::new().filter("info,my_crate=loud").build().unwrap_err();
/// assert_eq!(error.kind(), LogErrorKind::Filter);
/// assert_eq!(error.to_string(), r#"invalid log filter "info,my_crate=loud""#);
/// assert!(std::error::Error::source(&error).is_some());
/// ```
pub struct LogError {
    kind: LogErrorKind,
    what: String,
    source: Box<dyn Error + Send + Sync>,
}

/// The kinds of [`LogError`].
///
/// ```
/// let kind = more_threads::logging::LogErrorKind::OpenFile;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LogErrorKind {
    /// The filter does not parse.
    Filter,
    /// The log file cannot be opened.
    OpenFile,
    /// The process already has a `log` logger.
    AlreadyInstalled,
}

impl LogError {
    pub(super) fn new(
        kind: LogErrorKind,
        what: String,
        source: impl Into<Box<dyn Error + Send + Sync>>,
    ) -> LogError {
        LogError {
            kind,
            what,
            source: source.into(),
        }
    }

    /// The process has a logger already: `log::set_logger` refused.
    pub(super) fn already_installed(refused: log::SetLoggerError) -> LogError {
        LogError::new(
            LogErrorKind::AlreadyInstalled,
            "another logger is already installed".to_owned(),
            refused,
        )
    }

    /// What went wrong.
    ///
    /// ```
    /// use more_threads::logging::{Config, LogErrorKind};
    /// let error = Config::new().to_file("/no/such/dir/x.log").build().unwrap_err();
    /// assert_eq!(error.kind(), LogErrorKind::OpenFile);
    /// ```
    pub fn kind(&self) -> LogErrorKind {
        self.kind
    }
}

impl fmt::Display for LogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.what)
    }
}

impl fmt::Debug for LogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LogError")
            .field("kind", &self.kind)
            .field("what", &self.what)
            .field("source", &self.source)
            .finish()
    }
}

impl Error for LogError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&*self.source)
    }
}
