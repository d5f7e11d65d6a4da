//! The central logger and `with_context`, used as instances (unit tests
//! share one process,
//! whose `log` logger is the capturing one of `test_support`).

use super::{Config, Format, WhenFull, context};
use crate::signal::Signal;
use crate::sync::Arc;
use crate::sync::real::Mutex;
use crate::thread::Thread;
use log::Log;
use std::io::Write;

/// A writer whose lines a test can read.
#[derive(Clone, Default)]
struct Lines(Arc<Mutex<Vec<u8>>>);

impl Lines {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock()).into_owned()
    }
}

impl Write for Lines {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn record<'a>(
    level: log::Level,
    target: &'a str,
    args: std::fmt::Arguments<'a>,
) -> log::Record<'a> {
    log::Record::builder()
        .level(level)
        .target(target)
        .args(args)
        .build()
}

fn log_to(logger: &super::Logger, message: &str) {
    logger.log(&record(
        log::Level::Info,
        "tests",
        format_args!("{message}"),
    ));
}

#[test]
fn a_line_has_the_time_the_level_the_threads_path_the_message_and_the_context() {
    let lines = Lines::default();
    let logger = Config::new()
        .filter("info")
        .to_writer(lines.clone())
        .build()
        .unwrap();
    let crawler = {
        let logger = logger.clone();
        Thread::run("line-crawler", move |_| log_to(&logger, "fetched 3 pages")).unwrap()
    };
    crawler.join().unwrap();
    logger.flush();
    let text = lines.text();
    let line = text.lines().next().expect("one line");
    // 2026-12-01T18:38:50.123Z INFO  [main/line-crawler] fetched 3 pages
    let (time, rest) = line.split_once(' ').unwrap();
    assert_eq!(time.len(), 24, "RFC 3339 with milliseconds: {time}");
    assert!(time.ends_with('Z') && time.as_bytes()[10] == b'T', "{time}");
    assert!(rest.starts_with("INFO  [main/"), "{line}");
    assert!(rest.ends_with("/line-crawler] fetched 3 pages"), "{line}");
}

#[test]
fn context_reaches_the_threads_started_two_levels_down_and_never_leaks_up() {
    let lines = Lines::default();
    let logger = Config::new()
        .filter("info")
        .to_writer(lines.clone())
        .build()
        .unwrap();
    let outer = {
        let logger = logger.clone();
        Thread::run("ctx-outer", move |_| {
            let _job = context([("job", "42")]);
            let middle = {
                let logger = logger.clone();
                Thread::run("ctx-middle", move |_| {
                    let _step = context([("step", "parse"), ("job", "42b")]);
                    let inner = {
                        let logger = logger.clone();
                        Thread::run("ctx-inner", move |_| log_to(&logger, "inner"))?
                    };
                    log_to(&logger, "middle");
                    inner.join()
                })?
            };
            middle.join()?;
            log_to(&logger, "outer");
            Ok::<_, crate::thread::ThreadError>(())
        })
        .unwrap()
    };
    outer.join().unwrap();
    log_to(&logger, "main");
    logger.flush();
    let text = lines.text();
    let find = |needle: &str| {
        text.lines()
            .find(|line| line.contains(needle))
            .unwrap_or_else(|| panic!("no line with {needle:?} in\n{text}"))
            .to_owned()
    };
    assert!(
        find("] inner").ends_with("inner job=42b step=parse"),
        "{text}"
    );
    assert!(
        find("] middle").ends_with("middle job=42b step=parse"),
        "{text}"
    );
    assert!(
        find("] outer").ends_with("outer job=42"),
        "the child's shadowing stays in the child:\n{text}"
    );
    assert!(
        find("] main").ends_with("main"),
        "nothing leaks up to main:\n{text}"
    );
}

#[test]
fn a_records_own_key_values_come_first_and_win_over_the_context() {
    let lines = Lines::default();
    let logger = Config::new()
        .filter("info")
        .to_writer(lines.clone())
        .build()
        .unwrap();
    let _context = context([("user", "ada"), ("id", "context")]);
    let kvs: &[(&str, &str)] = &[("id", "own")];
    logger.log(
        &log::Record::builder()
            .level(log::Level::Info)
            .target("tests")
            .args(format_args!("with pairs"))
            .key_values(&kvs)
            .build(),
    );
    logger.flush();
    assert!(
        lines
            .text()
            .trim_end()
            .ends_with("with pairs id=own user=ada"),
        "{}",
        lines.text()
    );
}

#[test]
fn the_filter_decides_as_env_logger_does() {
    let cases = [
        ("warn", "my_crate", log::Level::Warn),
        ("warn", "my_crate", log::Level::Info),
        ("my_crate=debug", "my_crate", log::Level::Debug),
        ("my_crate=debug", "my_crate::db", log::Level::Trace),
        ("my_crate=debug", "other", log::Level::Error),
        ("info,my_crate::db=off", "my_crate::db", log::Level::Error),
        ("info,my_crate::db=off", "my_crate", log::Level::Info),
        ("trace", "anything", log::Level::Trace),
    ];
    for (spec, target, level) in cases {
        let ours = Config::new()
            .filter(spec)
            .to_writer(std::io::sink())
            .build()
            .unwrap();
        let theirs = env_logger::Builder::new().parse_filters(spec).build();
        let metadata = log::Metadata::builder().level(level).target(target).build();
        assert_eq!(
            ours.enabled(&metadata),
            theirs.enabled(&metadata),
            "RUST_LOG={spec}: a {level} record of {target}"
        );
    }
}

#[test]
fn an_invalid_filter_is_an_error_that_names_it() {
    let error = Config::new()
        .filter("info,my_crate=loud")
        .build()
        .unwrap_err();
    assert_eq!(error.kind(), super::LogErrorKind::Filter);
    assert_eq!(
        error.to_string(),
        r#"invalid log filter "info,my_crate=loud""#
    );
    assert!(std::error::Error::source(&error).is_some(), "says why");
}

#[test]
fn json_lines_parse_and_carry_every_field() {
    let lines = Lines::default();
    let logger = Config::new()
        .filter("debug")
        .format(Format::Json)
        .to_writer(lines.clone())
        .build()
        .unwrap();
    let _context = context([("job", "7")]);
    logger.log(&record(
        log::Level::Debug,
        "my_crate::db",
        format_args!("a \"quoted\"\nline"),
    ));
    logger.flush();
    let value: serde_json::Value = serde_json::from_str(lines.text().trim_end()).unwrap();
    assert_eq!(value["level"], "DEBUG");
    assert_eq!(value["target"], "my_crate::db");
    assert_eq!(value["message"], "a \"quoted\"\nline");
    assert_eq!(value["kv"]["job"], "7");
    assert!(value["path"].as_str().unwrap().contains("json_lines_parse"));
    assert!(value["time"].as_str().unwrap().ends_with('Z'));
}

/// A writer that panics on one write, and keeps the others.
struct PanicsOnce {
    lines: Lines,
    writes: usize,
}

impl Write for PanicsOnce {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.writes += 1;
        if self.writes == 3 {
            panic!("the writer broke on write 3");
        }
        self.lines.write(bytes)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_panic_in_the_writer_loses_the_line_it_wrote_and_no_later_one() {
    let lines = Lines::default();
    let writer = PanicsOnce {
        lines: lines.clone(),
        writes: 0,
    };
    // Unbuffered, so that each line is one write: capacity 1 and a flush
    // after each line make the logger write them one at a time.
    let logger = Config::new()
        .filter("info")
        .to_writer(writer)
        .build()
        .unwrap();
    for index in 0..6 {
        log_to(&logger, &format!("line {index}"));
        logger.flush();
    }
    let text = lines.text();
    for index in 3..6 {
        assert!(
            text.contains(&format!("line {index}\n")),
            "line {index}, after the panic, arrives:\n{text}"
        );
    }
    assert_eq!(logger.lost(), 1, "the line the panic took is counted");
    assert!(format!("{logger:?}").contains("1 lost"), "{logger:?}");
}

/// A writer that says when it is first called, then waits until a Signal
/// goes.
struct Gate {
    lines: Lines,
    entered: Signal,
    open: Signal,
}

impl Gate {
    fn new(lines: &Lines) -> (Gate, Signal, Signal) {
        let (entered, open) = (Signal::named("writer entered"), Signal::named("gate open"));
        let gate = Gate {
            lines: lines.clone(),
            entered: entered.clone(),
            open: open.clone(),
        };
        (gate, entered, open)
    }
}

impl Write for Gate {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.entered.go();
        self.open.wait();
        self.lines.write(bytes)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn with_drop_a_full_channel_drops_and_counts_and_the_count_is_logged() {
    let lines = Lines::default();
    let (gate, entered, open) = Gate::new(&lines);
    let logger = Config::new()
        .filter("info")
        .capacity(2)
        .when_full(WhenFull::Drop)
        .to_writer(gate)
        .build()
        .unwrap();
    log_to(&logger, "the one the writer holds");
    entered.wait(); // the logger thread is stuck in the writer
    for index in 0..20 {
        log_to(&logger, &format!("record {index}"));
    }
    assert_eq!(
        logger.dropped(),
        18,
        "the channel holds two; the rest are dropped"
    );
    open.go();
    logger.flush();
    let text = lines.text();
    assert!(
        text.contains("18 log records were dropped"),
        "the drop count is logged:\n{text}"
    );
    assert_eq!(
        text.lines()
            .filter(|line| line.contains("] record "))
            .count(),
        2,
        "every record not dropped is written:\n{text}"
    );
}

/// A writer that refuses everything: a full disk.
struct Refuses;

impl Write for Refuses {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::Error::other("no space left on device"))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_writer_that_fails_loses_its_lines_and_each_is_counted_once() {
    let logger = Config::new()
        .filter("info")
        .to_writer(Refuses)
        .build()
        .unwrap();
    for index in 0..10 {
        log_to(&logger, &format!("line {index}"));
    }
    logger.flush();
    assert_eq!(logger.lost(), 10, "every line handed over is counted");
    for index in 10..15 {
        log_to(&logger, &format!("line {index}"));
        logger.flush();
    }
    assert_eq!(
        logger.lost(),
        15,
        "and counted once, not again at each flush"
    );
}

#[test]
fn after_a_shutdown_gave_up_on_a_stuck_writer_callers_count_their_lines_lost_instead_of_hanging() {
    let lines = Lines::default();
    let (gate, entered, open) = Gate::new(&lines);
    let logger = Config::new()
        .filter("info")
        .to_writer(gate)
        .build()
        .unwrap();
    log_to(&logger, "the one the writer holds");
    entered.wait(); // the logger thread is stuck in the writer, holding it
    log_to(&logger, "queued behind it");
    let unwritten = logger.shut_down(std::time::Instant::now());
    assert_eq!(unwritten, 1, "the queued line is said to be unwritten");
    let (done, finished) = std::sync::mpsc::channel();
    {
        let logger = logger.clone();
        std::thread::spawn(move || {
            log_to(&logger, "after the shutdown");
            logger.flush();
            let _ = done.send(());
        });
    }
    let returned = finished.recv_timeout(std::time::Duration::from_secs(30));
    open.go();
    assert!(
        returned.is_ok(),
        "a caller after the shutdown hung on the stuck writer"
    );
    assert_eq!(logger.lost(), 1, "the caller's line is counted lost");
}

#[test]
fn flush_waits_until_every_record_handed_over_is_written() {
    let lines = Lines::default();
    let (gate, _entered, open) = Gate::new(&lines);
    let logger = Config::new()
        .filter("info")
        .to_writer(gate)
        .build()
        .unwrap();
    for index in 0..100 {
        log_to(&logger, &format!("record {index}"));
    }
    let flusher = {
        let (logger, lines) = (logger.clone(), lines.clone());
        // What was written when flush returned: the gate holds every write
        // until it opens, so a flush that did not wait would see nothing.
        std::thread::spawn(move || {
            logger.flush();
            lines.text().lines().count()
        })
    };
    open.go();
    assert_eq!(flusher.join().unwrap(), 100);
}

#[test]
fn synchronous_logging_writes_before_log_returns() {
    let lines = Lines::default();
    let logger = Config::new()
        .filter("info")
        .synchronous(true)
        .to_writer(lines.clone())
        .build()
        .unwrap();
    log_to(&logger, "at once");
    assert!(lines.text().contains("at once"));
}

/// A writer whose own code logs through the logger it writes for.
struct Chatty {
    logger: Arc<Mutex<Option<super::Logger>>>,
    lines: Lines,
}

impl Write for Chatty {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if let Some(logger) = &*self.logger.lock() {
            log_to(logger, "from inside the writer");
        }
        self.lines.write(bytes)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_record_logged_by_the_writer_itself_is_dropped_instead_of_hanging() {
    let slot = Arc::new(Mutex::new(None));
    let lines = Lines::default();
    let logger = Config::new()
        .filter("info")
        .capacity(1)
        .to_writer(Chatty {
            logger: slot.clone(),
            lines: lines.clone(),
        })
        .build()
        .unwrap();
    *slot.lock() = Some(logger.clone());
    for index in 0..10 {
        log_to(&logger, &format!("record {index}"));
        logger.flush(); // one write of the writer per record
    }
    // Each write of the writer logged a record, dropped: ten for the
    // records, and more for the notices of those drops.
    assert!(logger.dropped() >= 10, "dropped {}", logger.dropped());
    assert!(lines.text().contains("record 9"));
    // The writer holds the logger: let go, so the logger thread can end.
    slot.lock().take();
}

// ------------------------------------------------- with_context, as an instance

/// What an inner logger received: message, the key-values as visited, and
/// what the record's source said of itself (`count`, `get("id")`).
#[derive(Debug, Clone, PartialEq)]
struct Received {
    message: String,
    pairs: Vec<(String, String)>,
    count: usize,
    id: Option<String>,
}

/// An inner logger that keeps what it receives, and lets through only
/// records at `Info` or above.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<Received>>>);

impl Recorder {
    fn received(&self) -> Vec<Received> {
        self.0.lock().clone()
    }
}

impl Log for Recorder {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= log::Level::Info
    }

    fn log(&self, record: &log::Record<'_>) {
        self.0.lock().push(Received {
            message: record.args().to_string(),
            pairs: super::format::collect_pairs(record.key_values()),
            count: record.key_values().count(),
            id: record
                .key_values()
                .get(log::kv::Key::from_str("id"))
                .map(|value| value.to_string()),
        });
    }

    fn flush(&self) {}
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
        .collect()
}

/// Logs `message` at INFO with the record's own `kvs` through `logger`.
fn log_with(logger: &impl Log, message: &str, kvs: &[(&str, &str)]) {
    logger.log(
        &log::Record::builder()
            .level(log::Level::Info)
            .target("tests")
            .args(format_args!("{message}"))
            .key_values(&kvs)
            .build(),
    );
}

#[test]
fn with_context_adds_the_threads_name_path_and_context_after_the_records_own_which_win() {
    let recorder = Recorder::default();
    let logger = Arc::new(super::with_context(recorder.clone()));
    let _context = context([("user", "ada"), ("id", "context"), ("path", "context")]);
    let child = {
        let logger = logger.clone();
        Thread::run("wc-child", move |_| {
            log_with(&*logger, "from the child", &[("id", "own")]);
        })
        .unwrap()
    };
    child.join().unwrap();
    let received = recorder.received();
    assert_eq!(received.len(), 1, "{received:?}");
    let path = &received[0].pairs[2].1;
    assert!(path.ends_with("/wc-child"), "{received:?}");
    assert_eq!(
        received[0].pairs,
        pairs(&[
            ("id", "own"),
            ("thread", "wc-child"),
            ("path", path),
            ("user", "ada"),
        ]),
        "own first, then thread and path, then the context; each key once, the first wins"
    );
    assert_eq!(received[0].count, 4, "count() agrees with what is visited");
    assert_eq!(
        received[0].id.as_deref(),
        Some("own"),
        "get() finds the winner"
    );
}

#[test]
fn with_context_leaves_the_thread_and_path_of_a_record_about_another_thread() {
    let recorder = Recorder::default();
    let logger = Arc::new(super::with_context(recorder.clone()));
    let _context = context([("job", "42")]);
    let child = {
        let logger = logger.clone();
        Thread::run("wc-finder", move |_| {
            let about = [("thread", "failed"), ("path", "main/failed")];
            log_with(&*logger, "about another", &about);
        })
        .unwrap()
    };
    child.join().unwrap();
    assert_eq!(
        recorder.received()[0].pairs,
        pairs(&[("thread", "failed"), ("path", "main/failed"), ("job", "42")]),
    );
}

#[test]
fn with_context_passes_a_record_from_outside_the_tree_without_context_on_as_it_is() {
    let recorder = Recorder::default();
    let logger = super::with_context(recorder.clone());
    std::thread::scope(|scope| {
        scope.spawn(|| log_with(&logger, "plain", &[("id", "own")]));
    });
    assert_eq!(
        recorder.received(),
        vec![Received {
            message: "plain".to_owned(),
            pairs: pairs(&[("id", "own")]),
            count: 1,
            id: Some("own".to_owned()),
        }]
    );
}

#[test]
fn with_context_gives_a_thread_outside_the_tree_its_context_and_the_innermost_value() {
    let recorder = Recorder::default();
    let logger = super::with_context(recorder.clone());
    std::thread::scope(|scope| {
        scope.spawn(|| {
            let _outer = context([("job", "1"), ("step", "parse")]);
            let _inner = context([("job", "2")]);
            log_with(&logger, "nested", &[]);
        });
    });
    assert_eq!(
        recorder.received()[0].pairs,
        pairs(&[("job", "2"), ("step", "parse")]),
        "no thread or path outside the tree; job once, at its first place, with the innermost value"
    );
}

#[test]
fn with_context_hands_on_nothing_the_inner_logger_would_drop() {
    let recorder = Recorder::default();
    let logger = super::with_context(recorder.clone());
    let _context = context([("job", "42")]);
    logger.log(&record(
        log::Level::Debug,
        "tests",
        format_args!("too fine"),
    ));
    assert!(!logger.enabled(&log::Metadata::builder().level(log::Level::Debug).build()));
    assert_eq!(recorder.received(), Vec::new());
}
