//! `ThreadError` travels with `?` into the error types programs use.

use more_threads::{Thread, ThreadError, thread::ThreadErrorKind};

fn with_anyhow() -> anyhow::Result<u8> {
    let thread = Thread::run("anyhow-child", |_| Err::<u8, _>("broken"))?;
    Ok(thread.join()?)
}

fn with_box_dyn_error() -> Result<u8, Box<dyn std::error::Error + Send + Sync>> {
    let thread = Thread::run("boxed-child", |_| -> u8 { panic!("boxed panic") })?;
    Ok(thread.join()?)
}

#[test]
fn a_thread_error_becomes_an_anyhow_error_and_can_be_found_again() {
    let error = with_anyhow().unwrap_err();
    // anyhow's `{:#}` prints the chain: the cause once, not twice.
    let shown = format!("{error:#}");
    assert!(shown.ends_with("/anyhow-child failed: broken"), "{shown}");
    assert!(
        !shown.contains("broken: broken"),
        "the cause printed twice: {shown}"
    );
    let thread_error = error
        .downcast_ref::<ThreadError>()
        .expect("the ThreadError is inside");
    assert_eq!(thread_error.kind(), ThreadErrorKind::Failed);
    let chain: Vec<String> = error.chain().map(ToString::to_string).collect();
    assert_eq!(
        chain.last().map(String::as_str),
        Some("broken"),
        "{chain:?}"
    );
}

#[test]
fn a_thread_error_becomes_a_boxed_error_with_its_source_chain() {
    let error = with_box_dyn_error().unwrap_err();
    assert!(
        error.to_string().ends_with("/boxed-child panicked"),
        "Display says what failed: {error}"
    );
    let source = error.source().expect("the panic is the source");
    assert_eq!(source.to_string(), "boxed panic", "source() says why");
}

#[test]
fn thread_errors_are_send_sync_and_static() {
    fn assert_error<E: std::error::Error + Send + Sync + 'static>() {}
    assert_error::<ThreadError>();
}

/// Every printing of `error`: its own `{:#}`, and anyhow's.
fn both_ways(error: ThreadError) -> (String, String) {
    let ours = format!("{error:#}");
    (ours, format!("{:#}", anyhow::Error::from(error)))
}

#[test]
fn children_that_failed_are_each_printed_once_with_their_causes() {
    let parent = Thread::run("parent", |_| {
        let first = Thread::run("first", |_| Err::<(), _>("why first"))?;
        let second = Thread::run("second", |_| -> () { panic!("why second") })?;
        first.stopped().wait();
        second.stopped().wait();
        drop((first, second)); // neither joined nor released: their failures are ours
        Ok::<_, ThreadError>(())
    })
    .unwrap();
    let error = parent.join().unwrap_err();
    assert_eq!(error.kind(), ThreadErrorKind::ChildrenFailed);
    assert!(error.to_string().ends_with("/parent failed"), "{error}");
    let (ours, anyhow) = both_ways(error);
    assert_eq!(ours, anyhow, "anyhow's {{:#}} and ours say the same");
    assert!(
        ours.contains("/parent failed: 2 child threads failed: [thread ")
            && ours.contains("/parent/first failed: why first], [thread ")
            && ours.ends_with("/parent/second panicked: why second]"),
        "{ours}"
    );
    assert_eq!(
        ours.matches("first").count(),
        2,
        "first printed once: {ours}"
    );
}

#[test]
fn a_scopes_later_failure_is_printed_with_its_cause() {
    let error = more_threads::scope(|scope| {
        let broken = scope.spawn("broken", |_| Err::<(), _>("bad data"));
        broken.stopped().wait();
        Err::<(), _>("could not finish")
    })
    .unwrap_err();
    assert!(
        error.later()[0]
            .to_string()
            .starts_with("the scope in thread")
    );
    let (ours, anyhow) = both_ways(error);
    assert_eq!(ours, anyhow, "anyhow's {{:#}} and ours say the same");
    assert!(
        ours.contains("/broken failed: bad data; then 1 more failure: [the scope in thread ")
            && ours.ends_with(" failed: could not finish]"),
        "the closure's own cause is printed: {ours}"
    );
}

#[test]
fn a_thread_and_its_child_that_both_failed_keep_both_causes() {
    let parent = Thread::run("both", |_| {
        let child = Thread::run("child", |_| Err::<(), _>("why child"))?;
        child.stopped().wait();
        drop(child);
        Err::<(), more_threads::BoxError>("why parent".into())
    })
    .unwrap();
    let error = parent.join().unwrap_err();
    assert_eq!(error.kind(), ThreadErrorKind::Failed);
    assert_eq!(error.children().len(), 1);
    let (ours, anyhow) = both_ways(error);
    assert_eq!(ours, anyhow, "anyhow's {{:#}} and ours say the same");
    assert!(
        ours.contains("/both failed: why parent; and 1 child thread failed: [thread "),
        "{ours}"
    );
    assert!(ours.ends_with("/both/child failed: why child]"), "{ours}");
}

#[test]
fn one_failed_child_is_the_source_itself_so_it_can_be_downcast() {
    let parent = Thread::run("one", |_| {
        let child = Thread::run("only", |_| -> () { panic!("alone") })?;
        child.stopped().wait();
        drop(child);
        Ok::<_, ThreadError>(())
    })
    .unwrap();
    let error = parent.join().unwrap_err();
    let child = std::error::Error::source(&error)
        .and_then(|source| source.downcast_ref::<ThreadError>())
        .expect("the child's ThreadError is the source");
    assert_eq!(child.name(), "only");
    assert_eq!(child.panic().map(|panic| panic.message()), Some("alone"));
}

/// An error with a cause, as a program's own error type would be.
#[derive(Debug)]
struct Config {
    why: std::io::Error,
}

impl std::fmt::Display for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("no config")
    }
}

impl std::error::Error for Config {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.why)
    }
}

fn config_error() -> Config {
    Config {
        why: std::io::Error::other("disk unreadable"),
    }
}

#[test]
fn mains_outcome_keeps_the_chain_of_a_boxed_error() {
    use more_threads::main_thread::MainOutcome;
    let boxed: more_threads::BoxError = Box::new(config_error());
    let error = Err::<(), _>(boxed).into_exit_code().unwrap_err();
    assert!(error.downcast_ref::<Config>().is_some(), "the error itself");
    let cause = error.source().expect("its cause is kept");
    assert_eq!(cause.to_string(), "disk unreadable");

    // A `Box<dyn Error>` cannot cross threads: its chain is kept as text.
    let unsendable: Box<dyn std::error::Error> = Box::new(config_error());
    let error = Err::<(), _>(unsendable).into_exit_code().unwrap_err();
    assert_eq!(error.to_string(), "no config: disk unreadable");

    // A ThreadError is handed on as it is.
    let failed = Thread::run("in-main", |_| Err::<(), _>("why")).unwrap();
    let error = Err::<(), _>(failed.join().unwrap_err())
        .into_exit_code()
        .unwrap_err();
    assert!(error.downcast_ref::<ThreadError>().is_some(), "{error}");
}
