//! `logging::with_context` around env_logger, installed as this test
//! binary's logger (once: `log` takes one logger a process, so no other test
//! file installs here). env_logger writes its lines, key-values included
//! (its `kv` feature), into a buffer the tests read; each test looks only
//! at the lines that name threads or markers of its own, as the tests run
//! in parallel.

use more_threads::logging;
use more_threads::{BoxError, Thread};
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// What env_logger wrote, shared with its `Target::Pipe`.
#[derive(Clone, Default)]
struct Written(Arc<Mutex<Vec<u8>>>);

impl Write for Written {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Installs env_logger (at `info`, no colours) wrapped by `with_context`,
/// once; returns what it writes.
fn installed() -> &'static Written {
    static WRITTEN: OnceLock<Written> = OnceLock::new();
    WRITTEN.get_or_init(|| {
        let written = Written::default();
        let env_logger = env_logger::Builder::new()
            .parse_filters("info")
            .write_style(env_logger::WriteStyle::Never)
            .target(env_logger::Target::Pipe(Box::new(written.clone())))
            .build();
        let level = env_logger.filter();
        logging::with_context(env_logger)
            .max_level(level)
            .install()
            .expect("no other logger in this test binary");
        written
    })
}

/// The line env_logger wrote that contains `needle`, once there is one
/// (env_logger writes on the caller, but a record a thread logs as it ends
/// may come after the join that waited for it); fails after 30 s.
fn line_with(needle: &str) -> String {
    let written = installed();
    let started = Instant::now();
    loop {
        let text = String::from_utf8_lossy(&written.0.lock().unwrap()).into_owned();
        if let Some(line) = text.lines().find(|line| line.contains(needle)) {
            return line.to_owned();
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no line with {needle:?} in:\n{text}"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn a_record_two_thread_levels_below_a_context_carries_it_and_its_threads_path() {
    installed();
    let _job = logging::context([("job", "42")]);
    let outer = Thread::run("ctx-outer", |_| {
        Thread::run("ctx-inner", |_| log::info!("two levels down"))?.join()
    })
    .unwrap();
    outer.join().unwrap();
    let line = line_with("two levels down");
    // The test's own thread is a root of the tree: `main/<test name>`.
    let (before, path) = line
        .split_once(" path=")
        .unwrap_or_else(|| panic!("a path: {line}"));
    assert!(
        before.ends_with("two levels down thread=ctx-inner")
            && path.starts_with("main/")
            && path.ends_with("/ctx-outer/ctx-inner job=42"),
        "the thread's name and path, then the context set two levels up: {line}"
    );
}

#[test]
fn a_released_threads_failure_carries_its_thread_path_and_the_context_set_two_levels_up() {
    installed();
    let _job = logging::context([("job", "42")]);
    let parent = Thread::run("rel-parent", |_| {
        Thread::run("rel-doomed", |_| -> Result<(), BoxError> {
            Err("the disk is full".into())
        })?
        .release();
        Ok::<_, more_threads::ThreadError>(())
    })
    .unwrap();
    // The parent ends once its released child has: its failure is logged
    // by then or soon after, which `line_with` waits for.
    parent.join().unwrap();
    let line = line_with("rel-doomed failed");
    assert!(
        line.contains(" ERROR "),
        "a failure nobody joined is an ERROR: {line}"
    );
    let (before, path) = line
        .split_once(" path=")
        .unwrap_or_else(|| panic!("a path: {line}"));
    assert!(
        before.ends_with(" thread=rel-doomed")
            && path.starts_with("main/")
            && path.ends_with("/rel-parent/rel-doomed job=42"),
        "the runtime's thread and path of the failed thread, then the context: {line}"
    );
}

#[test]
fn a_records_own_key_wins_over_the_contexts() {
    installed();
    let _job = logging::context([("job", "42"), ("user", "ada")]);
    log::info!(job = "own"; "with a job of its own");
    let line = line_with("with a job of its own");
    assert!(
        line.ends_with("with a job of its own job=own user=ada"),
        "the record's job, once; the context's other keys after it: {line}"
    );
}

#[test]
fn a_record_from_outside_the_tree_without_context_is_written_as_it_is() {
    installed();
    std::thread::Builder::new()
        .name("plain-std".to_owned())
        .spawn(|| log::info!("from a plain std thread"))
        .unwrap()
        .join()
        .unwrap();
    let line = line_with("from a plain std thread");
    assert!(
        line.ends_with("] from a plain std thread"),
        "no key-values added: {line}"
    );
}
