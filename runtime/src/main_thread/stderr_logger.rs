//! A plain logger to stderr, for programs that install none: time, level,
//! thread path, message.

use crate::thread::current::with_registered;
use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

struct StderrLogger;

impl log::Log for StderrLogger {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= log::max_level()
    }

    fn log(&self, record: &log::Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let since_epoch = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let seconds_today = since_epoch.as_secs() % 86_400;
        let path = with_registered(|node| node.path.to_string()).unwrap_or_else(|| {
            crate::sync::real::thread::current()
                .name()
                .unwrap_or("unnamed")
                .to_owned()
        });
        let _ = writeln!(
            std::io::stderr().lock(),
            "{:02}:{:02}:{:02}.{:03} {:<5} [{path}] {}",
            seconds_today / 3600,
            seconds_today / 60 % 60,
            seconds_today % 60,
            since_epoch.subsec_millis(),
            record.level(),
            record.args()
        );
    }

    fn flush(&self) {
        let _ = std::io::stderr().flush();
    }
}

/// Installs the stderr logger at `info`, unless a logger is already set.
pub(crate) fn install() {
    if log::set_logger(&StderrLogger).is_ok() {
        log::set_max_level(log::LevelFilter::Info);
    }
}
