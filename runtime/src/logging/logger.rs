//! [`Logger`]: records formatted on the caller, written by the `logger`
//! thread.
//!
//! A caller formats its record and hands the line to a bounded crossbeam
//! channel; the logger thread writes what it receives into a buffered sink,
//! and flushes the sink whenever the channel is empty. A flush request is a
//! message like a line, so it is answered once every line before it is
//! written. The logger thread is not part of the tree: the tree's shutdown
//! stops it last, after every thread that could log was joined.

use super::config::{Config, Format, LogError, LogErrorKind, Target, WhenFull};
use super::format;
use crate::local::blocked::{Blocked, QueueSide};
use crate::sync::Arc;
use crate::sync::real::{AtomicBool, AtomicU64, Mutex, MutexGuard, OnceLock, Ordering, thread};
use crossbeam_channel::{Receiver, Sender, TrySendError};
use std::cell::Cell;
use std::fmt;
use std::io::{BufWriter, Write};
use std::time::{Duration, Instant};

/// The central logger: a `log::Log` that formats each record on the
/// caller's thread and writes it on its own `logger` thread. Made by
/// [`Config::build`]; clones share the logger; the thread ends when the last
/// clone is dropped, once it has written everything.
///
/// ```
/// use log::Log;
/// use more_threads::logging::Config;
///
/// let logger = Config::new().filter("debug").to_writer(std::io::sink()).build()?;
/// let record = log::Record::builder()
///     .level(log::Level::Debug)
///     .target("my_crate")
///     .args(format_args!("3 files parsed"))
///     .build();
/// assert!(logger.enabled(record.metadata()));
/// logger.log(&record); // formatted here, written by the logger thread
/// logger.flush(); // written
/// assert_eq!(logger.dropped(), 0);
/// # Ok::<(), more_threads::logging::LogError>(())
/// ```
#[derive(Clone)]
pub struct Logger {
    shared: Arc<Shared>,
}

struct Shared {
    filter: env_filter::Filter,
    /// What `RUST_LOG` held, when it did not parse: said once, at the start.
    bad_env_filter: Option<String>,
    format: Format,
    when_full: WhenFull,
    capacity: usize,
    sender: Sender<Message>,
    /// Kept to drain what is left when the logger thread has stopped.
    receiver: Receiver<Message>,
    /// Lines the logger thread has written, emptied, for callers to fill
    /// again: a record then costs no allocation, and no free on another
    /// thread (which contends for the allocator's locks).
    spare: Receiver<String>,
    sink: Arc<Mutex<Sink>>,
    counts: Arc<Counts>,
    thread: Mutex<Option<thread::JoinHandle<()>>>,
    /// Set once the logger thread is stopping: callers write for themselves.
    stopped: AtomicBool,
    /// Set when the shutdown gave up on a writer that did not finish in
    /// time: callers then wait for the sink only a moment, and count what
    /// they could not write.
    stuck: AtomicBool,
}

enum Message {
    Line(String),
    /// Flush the sink, then say so. (Not a Signal: the shutdown waits for
    /// this after every Till went, so its wait cannot be a Till's.)
    Flush(Sender<()>),
    /// Write nothing more: the thread ends.
    Stop,
}

/// The output, behind the lock that orders writes from the logger thread
/// and from callers writing for themselves.
struct Sink {
    out: BufWriter<Box<dyn Write + Send>>,
}

#[derive(Default)]
struct Counts {
    /// Dropped since the last notice of it.
    dropped: AtomicU64,
    /// Dropped in all.
    dropped_total: AtomicU64,
    /// Lines lost because the writer panicked or failed while writing them.
    lost: AtomicU64,
}

thread_local! {
    /// Whether this thread is a logger thread: a record it logs (from a
    /// writer's own code) is dropped, as waiting for itself would hang.
    static ON_LOGGER_THREAD: Cell<bool> = const { Cell::new(false) };
}

/// How long a caller waits for a sink whose writer the shutdown gave up on.
const STUCK_PATIENCE: Duration = Duration::from_millis(100);

/// The bytes the logger gathers before it writes them in one call.
const SINK_BUFFER: usize = 64 * 1024;

/// How many emptied lines wait to be filled again, at most.
const SPARE_LINES: usize = 1024;

/// The logger installed by [`Logger::install`], for the shutdown.
static INSTALLED: OnceLock<Logger> = OnceLock::new();

/// The central logger, if it is the process's logger.
pub(super) fn installed() -> Option<&'static Logger> {
    INSTALLED.get()
}

impl Logger {
    pub(super) fn start(config: Config) -> Result<Logger, LogError> {
        let (filter, bad_env_filter) = build_filter(config.filter.as_deref())?;
        let out: Box<dyn Write + Send> = match config.target {
            Target::Stderr => Box::new(std::io::stderr()),
            Target::Writer(writer) => Box::new(writer),
            Target::File(path) => match std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
            {
                Ok(file) => Box::new(file),
                Err(error) => {
                    return Err(LogError::new(
                        LogErrorKind::OpenFile,
                        format!("cannot open the log file {}", path.display()),
                        error,
                    ));
                }
            },
        };
        let (sender, receiver) = crossbeam_channel::bounded(config.capacity);
        let (give_back, spare) = crossbeam_channel::bounded(config.capacity.min(SPARE_LINES));
        let shared = Arc::new(Shared {
            filter,
            bad_env_filter,
            format: config.format,
            when_full: config.when_full,
            capacity: config.capacity,
            sender,
            receiver: receiver.clone(),
            spare,
            sink: Arc::new(Mutex::new(Sink {
                out: BufWriter::with_capacity(SINK_BUFFER, out),
            })),
            counts: Arc::default(),
            thread: Mutex::new(None),
            stopped: AtomicBool::new(config.synchronous),
            stuck: AtomicBool::new(false),
        });
        if !config.synchronous {
            let (sink, counts, format) =
                (shared.sink.clone(), shared.counts.clone(), shared.format);
            let spawned = thread::Builder::new()
                .name("logger".to_owned())
                .spawn(move || write_until_stopped(&receiver, &give_back, &sink, &counts, format));
            match spawned {
                Ok(handle) => *shared.thread.lock() = Some(handle),
                // No thread: callers write for themselves; nothing is lost.
                Err(_) => shared.stopped.store(true, Ordering::Release),
            }
        }
        let logger = Logger { shared };
        if let Some(spec) = &logger.shared.bad_env_filter {
            logger.notice(
                log::Level::Warn,
                &format!("RUST_LOG={spec:?} does not parse: only its valid parts are used"),
            );
        }
        Ok(logger)
    }

    /// Installs this logger as the process's `log` logger, with the
    /// maximum level its filter lets through.
    ///
    /// # Errors
    ///
    /// [`LogErrorKind::AlreadyInstalled`] when the process has a logger.
    ///
    /// ```
    /// let logger = more_threads::logging::Config::new().filter("warn").build()?;
    /// logger.install()?;
    /// assert_eq!(log::max_level(), log::LevelFilter::Warn);
    /// # Ok::<(), more_threads::logging::LogError>(())
    /// ```
    pub fn install(self) -> Result<(), LogError> {
        let level = self.shared.filter.filter();
        log::set_boxed_logger(Box::new(self.clone())).map_err(LogError::already_installed)?;
        log::set_max_level(level);
        let _ = INSTALLED.set(self);
        Ok(())
    }

    /// How many records were dropped because the channel was full (with
    /// [`WhenFull::Drop`]), or logged by a writer's own code.
    ///
    /// ```
    /// let logger = more_threads::logging::Config::new().build()?;
    /// assert_eq!(logger.dropped(), 0);
    /// # Ok::<(), more_threads::logging::LogError>(())
    /// ```
    pub fn dropped(&self) -> u64 {
        self.shared.counts.dropped_total.load(Ordering::Relaxed)
    }

    /// How many lines were lost because the writer failed or panicked while
    /// writing them, or because it was stuck past the shutdown.
    /// The writer cannot be told (it is the one failing): `Main`'s shutdown
    /// says it on stderr.
    ///
    /// ```
    /// let logger = more_threads::logging::Config::new().build()?;
    /// assert_eq!(logger.lost(), 0);
    /// # Ok::<(), more_threads::logging::LogError>(())
    /// ```
    pub fn lost(&self) -> u64 {
        self.shared.counts.lost.load(Ordering::Relaxed)
    }

    /// Hands `line` over, or writes it here once the thread has stopped.
    fn hand_over(&self, line: String) {
        let shared = &*self.shared;
        if shared.stopped.load(Ordering::Acquire) {
            shared.write_here(&line);
            return;
        }
        if ON_LOGGER_THREAD.with(Cell::get) {
            shared.counts.dropped_one();
            return;
        }
        match shared.when_full {
            WhenFull::Block => {
                if let Err(refused) = shared.sender.send(Message::Line(line)) {
                    if let Message::Line(line) = refused.into_inner() {
                        shared.write_here(&line);
                    }
                }
            }
            WhenFull::Drop => match shared.sender.try_send(Message::Line(line)) {
                Ok(()) => {}
                Err(TrySendError::Full(_)) => shared.counts.dropped_one(),
                Err(TrySendError::Disconnected(Message::Line(line))) => shared.write_here(&line),
                Err(TrySendError::Disconnected(_)) => {}
            },
        }
    }

    /// A record of the logger's own.
    fn notice(&self, level: log::Level, message: &str) {
        self.hand_over(format::notice(self.shared.format, level, message));
    }

    /// Flushes everything handed over before `deadline`; says whether done.
    fn flush_until(&self, deadline: Option<Instant>) -> bool {
        let shared = &*self.shared;
        if shared.stopped.load(Ordering::Acquire) {
            return match shared.sink_for_caller() {
                Some(mut sink) => {
                    let _ = sink.out.flush();
                    true
                }
                None => false,
            };
        }
        if ON_LOGGER_THREAD.with(Cell::get) {
            return false;
        }
        let (flushed, done) = crossbeam_channel::bounded(1);
        if shared.sender.send(Message::Flush(flushed)).is_err() {
            return true;
        }
        let _blocked = Blocked::Queue("log".into(), QueueSide::Drain).enter();
        match deadline {
            None => done.recv().is_ok(),
            Some(deadline) => done.recv_deadline(deadline).is_ok(),
        }
    }

    /// Main's shutdown: writes what is left (until `deadline`), stops the
    /// thread, and from then on callers write for themselves. Returns how
    /// many records were left unwritten.
    pub(super) fn shut_down(&self, deadline: Instant) -> u64 {
        let shared = &*self.shared;
        if !self.flush_until(Some(deadline)) {
            // The writer is stuck: leave it, and say how many lines wait
            // behind it (taken out, to count lines and not flush markers;
            // a flusher waiting on a marker is let go, told it failed).
            shared.stuck.store(true, Ordering::Release);
            shared.stopped.store(true, Ordering::Release);
            let mut unwritten = 0;
            while let Ok(message) = shared.receiver.try_recv() {
                if let Message::Line(_) = message {
                    unwritten += 1;
                }
            }
            return unwritten;
        }
        shared.stopped.store(true, Ordering::Release);
        let _ = shared.sender.send(Message::Stop);
        if let Some(thread) = shared.thread.lock().take() {
            let _ = thread.join();
        }
        // Whatever raced the stop: written here.
        while let Ok(message) = shared.receiver.try_recv() {
            if let Message::Line(line) = message {
                shared.write_here(&line);
            }
        }
        let _ = shared.sink.lock().out.flush();
        0
    }

    /// A forced exit: writes what it can within a moment, and says on stderr
    /// how many records it could not.
    pub(super) fn forced_exit(&self) {
        let shared = &*self.shared;
        shared.stopped.store(true, Ordering::Release);
        let deadline = Instant::now() + Duration::from_millis(300);
        // The logger thread may be in the middle of a slow write: the lock
        // is ours only if it finishes in time.
        let mut unwritten = shared.receiver.len() as u64;
        if let Some(mut sink) = shared.sink.try_lock_until(deadline) {
            while Instant::now() < deadline {
                match shared.receiver.try_recv() {
                    Ok(Message::Line(line)) => sink.write(&line, &shared.counts),
                    Ok(Message::Flush(flushed)) => {
                        let _ = flushed.send(());
                    }
                    Ok(Message::Stop) => {}
                    Err(_) => break,
                }
            }
            let _ = sink.out.flush();
            unwritten = shared.receiver.len() as u64;
        }
        let (dropped, lost) = (self.dropped(), self.lost());
        if unwritten > 0 || dropped > 0 || lost > 0 {
            let _ = writeln!(
                std::io::stderr().lock(),
                "more-threads: forced exit: {unwritten} log records could not be written{}{}",
                if dropped > 0 {
                    format!(", {dropped} were dropped before (the log channel was full)")
                } else {
                    String::new()
                },
                if lost > 0 {
                    format!(", {lost} were lost (the log writer failed)")
                } else {
                    String::new()
                }
            );
        }
    }
}

impl log::Log for Logger {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        self.shared.filter.enabled(metadata)
    }

    fn log(&self, record: &log::Record<'_>) {
        if !self.shared.filter.matches(record) {
            return;
        }
        let mut line = self
            .shared
            .spare
            .try_recv()
            .unwrap_or_else(|_| String::with_capacity(256));
        format::line(self.shared.format, record, &mut line);
        // For the console's detail pane; one relaxed load when none is served.
        crate::local::keep_log_line(&record.level(), record.args());
        self.hand_over(line);
    }

    /// Waits until every record handed over before it is written and the
    /// output flushed (at once on the logger thread itself).
    fn flush(&self) {
        self.flush_until(None);
    }
}

impl Shared {
    /// Writes on the caller's thread (synchronous, or after the logger
    /// thread stopped): flushed at once, as nothing else will flush it.
    fn write_here(&self, line: &str) {
        match self.sink_for_caller() {
            Some(mut sink) => {
                sink.write(line, &self.counts);
                sink.flush(&self.counts);
            }
            None => {
                self.counts.lost.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

impl Shared {
    /// The sink, for a caller writing for itself; `None` if the writer the
    /// shutdown gave up on still holds it after a moment (it may hold it for
    /// good: a caller never hangs on it).
    fn sink_for_caller(&self) -> Option<MutexGuard<'_, Sink>> {
        if self.stuck.load(Ordering::Acquire) {
            self.sink.try_lock_until(Instant::now() + STUCK_PATIENCE)
        } else {
            Some(self.sink.lock())
        }
    }
}

impl Counts {
    fn dropped_one(&self) {
        self.dropped.fetch_add(1, Ordering::Relaxed);
        self.dropped_total.fetch_add(1, Ordering::Relaxed);
    }
}

impl Sink {
    /// Writes `line`; a writer that fails or panics loses this line only.
    fn write(&mut self, line: &str, counts: &Counts) {
        let written = crate::panic::catch(|| self.out.write_all(line.as_bytes()));
        if !matches!(written, Ok(Ok(()))) {
            counts.lost.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Writes out what is gathered; if the writer fails, what it did not
    /// take is counted lost, line by line, and let go (kept, it would fill
    /// the buffer and be counted again with every later line).
    fn flush(&mut self, counts: &Counts) {
        let flushed = crate::panic::catch(|| self.out.flush());
        if matches!(flushed, Ok(Ok(()))) {
            return;
        }
        let lines = self.out.buffer().iter().filter(|byte| **byte == b'\n');
        counts
            .lost
            .fetch_add(lines.count() as u64, Ordering::Relaxed);
        let out = std::mem::replace(&mut self.out, BufWriter::new(Box::new(std::io::sink())));
        let (writer, _unwritten) = out.into_parts();
        self.out = BufWriter::with_capacity(SINK_BUFFER, writer);
    }
}

/// The logger thread: writes every line it receives, flushing whenever the
/// channel is empty, until told to stop or every sender is gone.
fn write_until_stopped(
    receiver: &Receiver<Message>,
    give_back: &Sender<String>,
    sink: &Mutex<Sink>,
    counts: &Counts,
    format: Format,
) {
    ON_LOGGER_THREAD.with(|on| on.set(true));
    while let Ok(first) = receiver.recv() {
        let mut sink = sink.lock();
        let mut next = Some(first);
        while let Some(message) = next.take() {
            match message {
                Message::Line(mut line) => {
                    sink.write(&line, counts);
                    // A line grown very long is not worth keeping.
                    if line.capacity() <= 4096 {
                        line.clear();
                        let _ = give_back.try_send(line);
                    }
                }
                Message::Flush(flushed) => {
                    // What was dropped before the flush is said before it.
                    note_drops(&mut sink, counts, format);
                    sink.flush(counts);
                    let _ = flushed.send(());
                }
                Message::Stop => {
                    note_drops(&mut sink, counts, format);
                    sink.flush(counts);
                    return;
                }
            }
            next = receiver.try_recv().ok();
        }
        note_drops(&mut sink, counts, format);
        sink.flush(counts);
    }
}

/// Writes how many records were dropped since it last did, if any.
fn note_drops(sink: &mut Sink, counts: &Counts, format: Format) {
    let dropped = counts.dropped.swap(0, Ordering::Relaxed);
    if dropped > 0 {
        let notice = format::notice(
            format,
            log::Level::Warn,
            &format!(
                "{dropped} log records were dropped: the channel to the logger thread was full"
            ),
        );
        sink.write(&notice, counts);
    }
}

/// The filter: `spec` if given (it must parse), else `RUST_LOG` (its valid
/// parts, if it does not parse, as env_logger does), else `info`.
fn build_filter(spec: Option<&str>) -> Result<(env_filter::Filter, Option<String>), LogError> {
    let mut builder = env_filter::Builder::new();
    if let Some(spec) = spec {
        if let Err(error) = builder.try_parse(spec) {
            return Err(LogError::new(
                LogErrorKind::Filter,
                format!("invalid log filter {spec:?}"),
                error,
            ));
        }
        return Ok((builder.build(), None));
    }
    match std::env::var("RUST_LOG") {
        Ok(spec) if !spec.trim().is_empty() => {
            let bad = builder.try_parse(&spec).is_err().then(|| spec.clone());
            if bad.is_some() {
                builder = env_filter::Builder::new();
                builder.parse(&spec);
            }
            Ok((builder.build(), bad))
        }
        _ => {
            builder.filter_level(log::LevelFilter::Info);
            Ok((builder.build(), None))
        }
    }
}

impl fmt::Debug for Logger {
    /// `Logger(Text, filter info, 3 of 8192 queued, 0 dropped, 0 lost)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shared = &*self.shared;
        write!(
            f,
            "Logger({:?}, filter {}, {} of {} queued, {} dropped, {} lost)",
            shared.format,
            shared.filter.filter(),
            shared.receiver.len(),
            shared.capacity,
            self.dropped(),
            self.lost()
        )
    }
}
