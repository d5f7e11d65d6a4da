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

/// Runs `future` to its end on this thread, parked between polls until its
/// waker is woken: an executor of a dozen lines, to show that awaiting a
/// Signal needs none. Fails the test if the future is left unwoken for 30 s
/// (a lost wake-up), instead of hanging.
pub(crate) fn block_on<F: std::future::Future>(future: F) -> F::Output {
    use std::sync::Arc;
    use std::task::{Context, Poll, Wake, Waker};

    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }

    let deadline = Instant::now() + Duration::from_secs(30);
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(
            !left.is_zero(),
            "the future was never woken: a lost wake-up"
        );
        // Woken by unpark, or spuriously: either way, poll again.
        std::thread::park_timeout(left);
    }
}
