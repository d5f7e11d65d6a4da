//! What unit tests share: a logger that keeps every record (with its
//! key-values) so a test can check what was logged (tests run in parallel in one process, so each looks
//! only for records that mention a name unique to it), and a patient wait.

use crate::sync::real::{Mutex, Once};
use std::time::{Duration, Instant};

/// Waits (politely) until `condition` holds; fails the test after 30 s.
pub(crate) fn eventually(what: &str, condition: impl Fn() -> bool) {
    let started = Instant::now();
    while !condition() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "never happened: {what}"
        );
        std::thread::sleep(Duration::from_micros(200));
    }
}

static RECORDS: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct Capture;

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    /// `LEVEL target: message [key=value ...]`, the key-values as the
    /// record carries them.
    fn log(&self, record: &log::Record<'_>) {
        struct Pairs(String);
        impl<'kvs> log::kv::VisitSource<'kvs> for Pairs {
            fn visit_pair(
                &mut self,
                key: log::kv::Key<'kvs>,
                value: log::kv::Value<'kvs>,
            ) -> Result<(), log::kv::Error> {
                self.0.push_str(&format!(" {key}={value}"));
                Ok(())
            }
        }
        let mut pairs = Pairs(String::new());
        let _ = record.key_values().visit(&mut pairs);
        let line = format!(
            "{} {}: {} [{}]",
            record.level(),
            record.target(),
            record.args(),
            pairs.0.trim_start()
        );
        RECORDS.lock().push(line);
    }

    fn flush(&self) {}
}

/// Installs the capturing logger (once per test process).
pub(crate) fn capture() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        log::set_logger(&Capture).expect("no other logger in unit tests");
        log::set_max_level(log::LevelFilter::Trace);
    });
}

/// Every record logged so far that contains `needle`.
pub(crate) fn records_mentioning(needle: &str) -> Vec<String> {
    RECORDS
        .lock()
        .iter()
        .filter(|line| line.contains(needle))
        .cloned()
        .collect()
}
