//! The bad-input table of the README, a test per row: each misuse gets a
//! clear `Err`, or a panic whose message names the thing, or is logged,
//! never a hang and never a silent loss. The rows that need a process of
//! their own (the shutdown, Ctrl-C, the OS refusing threads) are in
//! `main_process.rs`.

mod common;

use common::{capture_log, logged_with};
use more_threads::{
    Lock, Queue, Signal, Thread, ThreadError, Till, dump, queue::AddError, thread::JoinTillError,
    thread::ThreadErrorKind,
};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

/// The message of a panic `f` makes.
fn panic_of(f: impl FnOnce()) -> String {
    let payload = catch_unwind(AssertUnwindSafe(f)).expect_err("it panics");
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| {
            payload
                .downcast_ref::<&str>()
                .map(|text| (*text).to_owned())
        })
        .unwrap_or_default()
}

fn refused_name(name: &str) -> ThreadError {
    Thread::run(name, |_| ()).unwrap_err()
}

#[test]
fn an_empty_thread_name_is_an_err() {
    let error = refused_name("");
    assert_eq!(error.kind(), ThreadErrorKind::InvalidName);
    assert!(error.to_string().contains("cannot be empty"), "{error}");
}

#[test]
fn a_thread_name_with_nul_is_an_err() {
    let error = refused_name("a\0b");
    assert_eq!(error.kind(), ThreadErrorKind::InvalidName);
    assert!(error.to_string().contains("NUL"), "{error}");
}

#[test]
fn a_thread_name_with_a_slash_is_an_err() {
    let error = refused_name("a/b");
    assert_eq!(error.kind(), ThreadErrorKind::InvalidName);
    assert!(error.to_string().contains("cannot contain '/'"), "{error}");
}

#[test]
fn a_thread_name_with_a_newline_is_an_err_and_cannot_forge_dump_lines() {
    let forged = "x\nmain (0.0s) running";
    let error = refused_name(forged);
    assert_eq!(error.kind(), ThreadErrorKind::InvalidName);
    assert!(!error.to_string().contains('\n'), "{error}");
    // An OS thread's own name may hold one: the tree makes it harmless.
    let from_std = std::thread::Builder::new()
        .name(forged.to_owned())
        .spawn(|| {
            let me = Thread::current();
            let drawn = dump().to_string();
            (me.name().to_owned(), drawn)
        })
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(from_std.0, "x_main (0.0s) running");
    assert!(
        !from_std
            .1
            .lines()
            .any(|line| line.starts_with("main (0.0s) running")),
        "{}",
        from_std.1
    );
}

#[test]
fn a_thread_name_with_a_format_character_is_an_err_naming_the_code_point() {
    // Unicode's format characters (Cf) reorder or hide text: a right-to-left
    // override makes "x\u{202E}gpj.exe" read "xexe.jpg"; the first and last
    // of each of their ranges, and the single ones.
    for (character, shown) in [
        ('\u{AD}', "U+00AD"),
        ('\u{600}', "U+0600"),
        ('\u{605}', "U+0605"),
        ('\u{61C}', "U+061C"),
        ('\u{6DD}', "U+06DD"),
        ('\u{70F}', "U+070F"),
        ('\u{890}', "U+0890"),
        ('\u{8E2}', "U+08E2"),
        ('\u{180E}', "U+180E"),
        ('\u{200B}', "U+200B"),
        ('\u{200F}', "U+200F"),
        ('\u{202A}', "U+202A"),
        ('\u{202E}', "U+202E"),
        ('\u{2060}', "U+2060"),
        ('\u{2064}', "U+2064"),
        ('\u{2066}', "U+2066"),
        ('\u{206F}', "U+206F"),
        ('\u{FEFF}', "U+FEFF"),
        ('\u{FFF9}', "U+FFF9"),
        ('\u{FFFB}', "U+FFFB"),
        ('\u{110BD}', "U+110BD"),
        ('\u{110CD}', "U+110CD"),
        ('\u{13430}', "U+13430"),
        ('\u{1343F}', "U+1343F"),
        ('\u{1BCA0}', "U+1BCA0"),
        ('\u{1D173}', "U+1D173"),
        ('\u{1D17A}', "U+1D17A"),
        ('\u{E0001}', "U+E0001"),
        ('\u{E0020}', "U+E0020"),
        ('\u{E007F}', "U+E007F"),
    ] {
        let error = refused_name(&format!("invoice{character}gpj.exe"));
        assert_eq!(error.kind(), ThreadErrorKind::InvalidName, "{shown}");
        let described = error.to_string();
        assert!(
            described.contains(&format!("cannot contain {shown}, a format character")),
            "{described}"
        );
        assert!(!described.contains(character), "{described}");
    }
}

#[test]
fn a_thread_name_with_a_line_or_paragraph_separator_is_an_err_naming_the_code_point() {
    for (character, shown, what) in [
        ('\u{2028}', "U+2028", "a line separator"),
        ('\u{2029}', "U+2029", "a paragraph separator"),
    ] {
        let error = refused_name(&format!("x{character}main (0.0s) running"));
        assert_eq!(error.kind(), ThreadErrorKind::InvalidName, "{shown}");
        let described = error.to_string();
        assert!(
            described.contains(&format!("cannot contain {shown}, {what}")),
            "{described}"
        );
        assert!(!described.contains(character), "{described}");
    }
}

#[test]
fn an_ordinary_non_ascii_thread_name_is_accepted() {
    // Neighbours of refused characters too: the soft hyphen's, the
    // bidirectional controls', the byte order mark's.
    for name in [
        "café-日本",
        "Ελλάδα",
        "\u{AC}\u{AE}",
        "\u{2027}\u{2030}",
        "\u{FEFE}",
    ] {
        let thread = Thread::run(name, |_| ()).unwrap_or_else(|error| panic!("{name:?}: {error}"));
        assert_eq!(thread.name(), name);
        thread.join().unwrap();
    }
}

#[test]
fn an_os_thread_name_that_rewrites_text_is_made_harmless() {
    let named = std::thread::Builder::new()
        .name("left\u{202E}right\u{2028}end".to_owned())
        .spawn(|| Thread::current().name().to_owned())
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(named, "left_right_end");
}

#[test]
fn a_very_long_thread_name_is_an_err_showing_its_start() {
    let error = refused_name(&"n".repeat(100_000));
    assert_eq!(error.kind(), ThreadErrorKind::InvalidName);
    let described = error.to_string();
    assert!(described.contains("at most 255 bytes"), "{described}");
    assert!(
        described.len() < 400,
        "the message shows the start only: {described}"
    );
    assert!(
        Thread::run(&"n".repeat(255), |_| ())
            .unwrap()
            .join()
            .is_ok()
    );
}

#[test]
fn nan_negative_infinite_and_max_tills() {
    assert!(Till::seconds(f64::NAN).is_go(), "NaN: already gone");
    assert!(Till::seconds(-1.0).is_go(), "negative: already gone");
    assert!(Till::after(Duration::ZERO).is_go());
    let infinite = Till::seconds(f64::INFINITY);
    let max = Till::after(Duration::MAX);
    assert!(!infinite.is_go() && !max.is_go(), "never go on their own");
    assert!(
        !infinite.wait_till(&Till::seconds(0.01)),
        "a wait on them ends by its till"
    );
    assert!(!max.wait_till(&Till::seconds(0.01)));
}

#[test]
fn nan_negative_infinite_and_max_timeouts_of_a_join() {
    let running = Thread::run("joined-with-odd-tills", |please_stop| please_stop.wait()).unwrap();
    let running = match running.join_till(&Till::seconds(f64::NAN)) {
        Err(JoinTillError::StillRunning(handle)) => handle,
        other => panic!("NaN gives up at once: {other:?}"),
    };
    let running = match running.join_till(&Till::seconds(-5.0)) {
        Err(JoinTillError::StillRunning(handle)) => handle,
        other => panic!("negative gives up at once: {other:?}"),
    };
    running.stop();
    assert!(running.join_till(&Till::seconds(f64::INFINITY)).is_ok());
}

#[test]
fn a_reentrant_lock_panics_naming_the_lock() {
    let lock = Lock::named("held-twice", ());
    let _guard = lock.lock();
    let message = panic_of(|| drop(lock.lock()));
    assert!(message.contains("held-twice"), "{message}");
    assert!(message.contains("not reentrant"), "{message}");
}

#[test]
fn join_from_self_is_an_err() {
    let (handle_in, handle_out) = std::sync::mpsc::channel::<Thread<()>>();
    let (kind_in, kind_out) = std::sync::mpsc::channel();
    let thread = Thread::run("joins-itself", move |_| {
        let me = handle_out.recv().unwrap();
        kind_in.send(me.join().unwrap_err().kind()).unwrap();
    })
    .unwrap();
    handle_in.send(thread).unwrap();
    let kind = kind_out.recv_timeout(Duration::from_secs(30)).unwrap();
    assert_eq!(kind, ThreadErrorKind::WouldDeadlock);
}

#[test]
fn join_from_a_descendant_is_an_err() {
    let (handles, handed) = std::sync::mpsc::channel::<Thread<()>>();
    let parent = Thread::run("joined-by-its-child", move |please_stop| {
        please_stop.wait();
    })
    .unwrap();
    let parent_ref = parent.thread_ref();
    handles.send(parent).unwrap();
    let child = Thread::builder("joins-its-parent")
        .parent(&parent_ref)
        .spawn(move |_| {
            let parent = handed.recv().unwrap();
            let error = parent.join().unwrap_err();
            Ok::<_, ThreadError>(error.kind())
        })
        .unwrap();
    let kind = child.join().unwrap();
    assert_eq!(kind, ThreadErrorKind::WouldDeadlock);
    parent_ref.stop();
}

#[test]
fn join_inside_a_then_callback_panics_naming_the_thread() {
    capture_log();
    let running = Thread::run("joined-from-a-callback", |please_stop| please_stop.wait()).unwrap();
    let stop = running.please_stop().clone();
    let trigger = Signal::named("join trigger");
    trigger.then(move || drop(running.join()));
    let started = Instant::now();
    trigger.go(); // returns: the callback's panic is caught and logged
    assert!(started.elapsed() < Duration::from_secs(30));
    let logged = logged_with("/joined-from-a-callback inside a then() callback");
    assert_eq!(logged.len(), 1, "{logged:?}");
    stop.go();
}

#[test]
fn wait_inside_a_callback_panics_naming_the_signal() {
    capture_log();
    let never = Signal::named("waited-on-in-a-callback");
    let trigger = Signal::new();
    {
        let never = never.clone();
        trigger.then(move || never.wait());
    }
    trigger.go();
    let logged = logged_with("waited-on-in-a-callback");
    assert_eq!(logged.len(), 1, "{logged:?}");
    assert!(logged[0].contains("must not block"), "{logged:?}");
}

#[test]
fn a_panic_inside_then_is_logged_and_go_returns() {
    capture_log();
    let signal = Signal::named("with-a-panicking-callback");
    signal.then(|| panic!("the callback broke"));
    let ran = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    {
        let ran = ran.clone();
        signal.then(move || ran.store(true, std::sync::atomic::Ordering::SeqCst));
    }
    assert!(signal.go());
    assert!(
        ran.load(std::sync::atomic::Ordering::SeqCst),
        "the next callback still ran"
    );
    let logged = logged_with("the callback broke");
    assert_eq!(logged.len(), 1, "{logged:?}");
    assert!(logged[0].starts_with("ERROR"), "{logged:?}");
}

/// A panic payload whose `Drop` panics.
struct Hostile;

impl Drop for Hostile {
    fn drop(&mut self) {
        panic!("the payload's drop panicked too");
    }
}

#[test]
fn hostile_panic_payloads_are_failures_not_unwinds() {
    let error = Thread::run("hostile", |_| -> () { std::panic::panic_any(Hostile) })
        .unwrap()
        .join()
        .unwrap_err();
    assert_eq!(error.kind(), ThreadErrorKind::Panicked);
}

#[test]
fn add_to_a_closed_queue_is_an_err_with_the_item() {
    let queue = Queue::new("closed");
    queue.close();
    match queue.add("kept") {
        Err(AddError::Closed(item)) => assert_eq!(item, "kept"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn builder_parent_of_a_finished_thread_is_an_err() {
    let finished = Thread::run("already-finished", |_| ()).unwrap();
    let parent = finished.thread_ref();
    finished.join().unwrap();
    let error = Thread::builder("too-late")
        .parent(&parent)
        .spawn(|_| ())
        .unwrap_err();
    assert_eq!(error.kind(), ThreadErrorKind::ParentEnded);
}

#[test]
fn a_worker_that_never_checks_please_stop_is_still_running_when_asked() {
    let done = Signal::new();
    let stubborn = {
        let done = done.clone();
        Thread::run("never-checks", move |_| done.wait()).unwrap()
    };
    stubborn.stop();
    let stubborn = match stubborn.join_till(&Till::seconds(0.05)) {
        Err(JoinTillError::StillRunning(handle)) => handle,
        other => panic!("it ignores please_stop: {other:?}"),
    };
    assert!(
        dump()
            .threads()
            .any(|entry| entry.path().ends_with("/never-checks")
                && entry.state().contains("blocked on Signal")),
        "the dump shows it and what it waits for"
    );
    done.go();
    stubborn.join().unwrap();
}
