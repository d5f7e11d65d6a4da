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
