use crate::signal::Signal;
use crate::test_support::{self as test_log, eventually};
use crate::thread::RegisterThread;
use crate::thread::Thread;
use crate::thread::ThreadError;
use crate::thread::ThreadErrorKind;
use crate::thread::dump::dump;
use crate::thread::join_all;
use crate::till::Till;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

#[test]
fn join_returns_the_workers_value() {
    let thread = Thread::run("adder", |_| 2 + 2).unwrap();
    assert_eq!(thread.join().unwrap(), 4);
}

#[test]
fn the_os_thread_has_the_name_and_the_runtime_the_whole_path() {
    let thread = Thread::run("a-rather-long-thread-name", |_| {
        (
            std::thread::current().name().map(str::to_owned),
            Thread::current().path().to_owned(),
        )
    })
    .unwrap();
    let (os_name, path) = thread.join().unwrap();
    assert_eq!(os_name.as_deref(), Some("a-rather-long-thread-name"));
    assert!(path.ends_with("/a-rather-long-thread-name"), "{path}");
}

#[test]
fn a_childs_panic_reaches_the_joiner_with_name_path_and_message() {
    let parent = Thread::run("parent-of-panicker", |_| {
        let child = Thread::run("panicker", |_| -> u8 { panic!("the child broke") })?;
        child.join()
    })
    .unwrap();
    let error = parent.join().unwrap_err();
    assert_eq!(
        error.kind(),
        ThreadErrorKind::Failed,
        "the parent returned the child's error"
    );
    let child_error = std::error::Error::source(&error)
        .and_then(|source| source.downcast_ref::<ThreadError>())
        .expect("the parent's failure is the child's ThreadError");
    assert_eq!(child_error.kind(), ThreadErrorKind::Panicked);
    assert_eq!(child_error.name(), "panicker");
    assert!(
        child_error.path().ends_with("/parent-of-panicker/panicker"),
        "{child_error}"
    );
    assert_eq!(child_error.panic().unwrap().message(), "the child broke");
    assert!(
        format!("{child_error:#}")
            .ends_with("/parent-of-panicker/panicker panicked: the child broke"),
        "{child_error}"
    );
}

#[test]
fn a_childs_err_reaches_the_joiner_as_the_source() {
    let child = Thread::run("failing-io", |_| -> std::io::Result<()> {
        Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "no such file",
        ))
    })
    .unwrap();
    let error = child.join().unwrap_err();
    assert_eq!(error.kind(), ThreadErrorKind::Failed);
    let io = std::error::Error::source(&error)
        .and_then(|source| source.downcast_ref::<std::io::Error>())
        .expect("the io::Error is the source");
    assert_eq!(io.kind(), std::io::ErrorKind::NotFound);
}

#[test]
fn thread_errors_go_into_boxed_errors_with_question_mark() {
    fn job() -> Result<u8, Box<dyn std::error::Error + Send + Sync>> {
        let thread = Thread::run("boxed", |_| Err::<u8, _>("nope"))?;
        Ok(thread.join()?)
    }
    let error = job().unwrap_err();
    assert!(
        format!("{error:#}").ends_with("boxed failed: nope"),
        "{error}"
    );
}

#[test]
fn a_released_childs_failure_is_logged_exactly_once() {
    test_log::capture();
    let child = Thread::run("released-and-failing", |please_stop| {
        please_stop.wait();
        Err::<(), _>("failed after release")
    })
    .unwrap();
    let stop = child.please_stop().clone();
    let stopped = child.stopped().clone();
    child.release();
    stop.go();
    stopped.wait();
    let logged = test_log::records_mentioning("released-and-failing");
    assert_eq!(logged.len(), 1, "{logged:?}");
    assert!(
        logged[0].starts_with("ERROR more_threads::thread"),
        "{logged:?}"
    );
    assert!(logged[0].contains("failed after release"), "{logged:?}");
    // The key-values every runtime record carries: the thread it is about.
    let path = format!("{}/released-and-failing", Thread::current().path());
    assert!(
        logged[0].ends_with(&format!("[thread=released-and-failing path={path}]")),
        "{logged:?}"
    );
}

#[test]
fn releasing_a_thread_that_already_failed_logs_it_once() {
    test_log::capture();
    let child = Thread::run("failed-before-release", |_| Err::<(), _>("early")).unwrap();
    child.stopped().wait();
    child.release();
    assert_eq!(
        test_log::records_mentioning("failed-before-release").len(),
        1
    );
}

#[test]
fn a_parent_that_ends_with_live_children_stops_and_joins_them_first() {
    let children_done = Arc::new(AtomicUsize::new(0));
    let parent = {
        let children_done = children_done.clone();
        Thread::run("busy-parent", move |_| {
            for index in 0..3 {
                let children_done = children_done.clone();
                Thread::run(&format!("child-{index}"), move |please_stop| {
                    please_stop.wait();
                    children_done.fetch_add(1, Ordering::SeqCst);
                })?
                .release();
            }
            Ok::<_, ThreadError>("parent done")
        })
        .unwrap()
    };
    assert_eq!(parent.join().unwrap(), "parent done");
    assert_eq!(
        children_done.load(Ordering::SeqCst),
        3,
        "every child had ended before the parent's join returned"
    );
}

#[test]
fn an_unjoined_childs_failure_is_folded_into_the_parent() {
    let parent = Thread::run("folding-parent", |_| {
        let child = Thread::run("dropped-child", |_| -> () { panic!("lost?") })?;
        drop(child);
        Ok::<_, ThreadError>(1)
    })
    .unwrap();
    let error = parent.join().unwrap_err();
    assert_eq!(error.kind(), ThreadErrorKind::ChildrenFailed);
    assert_eq!(error.children().len(), 1);
    assert_eq!(error.children()[0].name(), "dropped-child");
    assert!(
        error.to_string().ends_with("/folding-parent failed"),
        "Display says what failed: {error}"
    );
    let child = std::error::Error::source(&error).expect("the child is the cause");
    assert!(
        child
            .to_string()
            .ends_with("/folding-parent/dropped-child panicked"),
        "{child}"
    );
    assert!(
        format!("{error:#}").ends_with("/dropped-child panicked: lost?"),
        "{error:#}"
    );
}

#[test]
fn a_threads_please_stop_made_to_go_reaches_its_children_as_stop_does() {
    let top = Thread::run("busy-parent", |_| {
        // The parent does not end on its own please_stop: only its child's
        // end lets it return, so a stop that did not reach the child
        // would leave it waiting (till the deadline: then `false`).
        let child = Thread::run("child", |please_stop| please_stop.wait()).unwrap();
        child.stopped().wait_till(&Till::seconds(60.0))
    })
    .unwrap();
    let path = format!("{}/child", top.path());
    eventually("the child started", || {
        dump().threads().any(|entry| entry.path() == path)
    });
    top.please_stop().go(); // not top.stop(): the same, said otherwise
    assert!(
        top.join().unwrap(),
        "the child heard its parent's please_stop"
    );
}

#[test]
fn stop_reaches_a_subtree_three_levels_deep() {
    let ended = Arc::new(AtomicUsize::new(0));
    let spawn_level =
        |name: &str, ended: Arc<AtomicUsize>, below: Option<Box<dyn FnOnce() + Send>>| {
            let name = name.to_owned();
            move |please_stop: &Signal| {
                if let Some(spawn_below) = below {
                    spawn_below();
                }
                please_stop.wait();
                ended.fetch_add(1, Ordering::SeqCst);
                name
            }
        };
    let grandchild = spawn_level("grandchild", ended.clone(), None);
    let child = spawn_level(
        "child",
        ended.clone(),
        Some(Box::new(move || {
            Thread::run("grandchild", grandchild).unwrap().release()
        })),
    );
    let top = spawn_level(
        "top",
        ended.clone(),
        Some(Box::new(move || {
            Thread::run("child", child).unwrap().release()
        })),
    );
    let top = Thread::run("top", top).unwrap();
    let path = format!("{}/child/grandchild", top.path());
    eventually("the grandchild started", || {
        dump().threads().any(|entry| entry.path() == path)
    });
    top.stop();
    assert_eq!(top.join().unwrap(), "top");
    assert_eq!(
        ended.load(Ordering::SeqCst),
        3,
        "all three levels saw please_stop"
    );
}

#[test]
fn joining_itself_is_an_error_not_a_hang() {
    let (handle_tx, handle_rx) = mpsc::channel::<Thread<()>>();
    let (verdict_tx, verdict_rx) = mpsc::channel();
    let selfish = Thread::run("selfish", move |_| {
        let me = handle_rx.recv().unwrap();
        let verdict = me.join().map_err(|error| (error.kind(), error.to_string()));
        verdict_tx.send(verdict).unwrap();
    })
    .unwrap();
    let stopped = selfish.stopped().clone();
    handle_tx.send(selfish).unwrap();
    let verdict = verdict_rx
        .recv_timeout(Duration::from_secs(30))
        .expect("join() returned instead of hanging");
    let (kind, message) = verdict.unwrap_err();
    assert_eq!(kind, ThreadErrorKind::WouldDeadlock);
    assert!(message.contains("cannot join itself"), "{message}");
    stopped.wait();
}

#[test]
fn joining_an_ancestor_is_an_error_not_a_hang() {
    let (handle_tx, handle_rx) = mpsc::channel::<Thread<()>>();
    let (verdict_tx, verdict_rx) = mpsc::channel();
    let parent = Thread::run("ancestor", move |please_stop| {
        Thread::run("descendant", move |_| {
            let ancestor = handle_rx.recv().unwrap();
            let verdict = ancestor
                .join()
                .map_err(|error| (error.kind(), error.to_string()));
            verdict_tx.send(verdict).unwrap();
        })?
        .release();
        please_stop.wait();
        Ok::<_, ThreadError>(())
    })
    .unwrap();
    let (stop, stopped) = (parent.please_stop().clone(), parent.stopped().clone());
    handle_tx.send(parent).unwrap();
    let (kind, message) = verdict_rx
        .recv_timeout(Duration::from_secs(30))
        .expect("join() returned instead of hanging")
        .unwrap_err();
    assert_eq!(kind, ThreadErrorKind::WouldDeadlock);
    assert!(
        message.contains("cannot be joined by its own descendant"),
        "{message}"
    );
    stop.go();
    stopped.wait();
}

#[test]
fn join_till_gives_the_handle_back_on_time_out() {
    let sleeper = Thread::run("join-till-sleeper", |please_stop| please_stop.wait()).unwrap();
    let sleeper = match sleeper.join_till(&Till::seconds(0.005)) {
        Err(crate::thread::JoinTillError::StillRunning(handle)) => handle,
        other => panic!("expected StillRunning, got {other:?}"),
    };
    sleeper.stop();
    assert!(sleeper.join_till(&Till::seconds(30.0)).is_ok());
}

#[test]
fn join_all_waits_for_every_thread_and_keeps_every_outcome_in_order() {
    let threads: Vec<_> = (0..4)
        .map(|n| {
            Thread::run(&format!("join-all-{n}"), move |_| {
                if n % 2 == 1 {
                    Err(format!("odd {n}"))
                } else {
                    Ok(n)
                }
            })
            .unwrap()
        })
        .collect();
    let outcomes = join_all(threads);
    assert_eq!(outcomes.len(), 4);
    assert_eq!(*outcomes[0].as_ref().unwrap(), 0);
    assert!(format!("{:#}", outcomes[1].as_ref().unwrap_err()).contains("odd 1"));
    assert_eq!(*outcomes[2].as_ref().unwrap(), 2);
    assert!(outcomes[3].is_err());
}

#[test]
fn bad_names_are_refused_with_a_reason() {
    for (name, reason) in [("", "cannot be empty"), ("a/b", "'/'"), ("nul\0", "NUL")] {
        let error = Thread::run(name, |_| ()).unwrap_err();
        assert_eq!(error.kind(), ThreadErrorKind::InvalidName, "{name:?}");
        assert!(error.to_string().contains(reason), "{error}");
    }
}

#[test]
fn a_child_of_a_stopping_parent_is_asked_to_stop_at_birth() {
    let parent = Thread::run("stopping-parent", |please_stop| {
        please_stop.wait();
        let late = Thread::run("late-child", |please_stop| please_stop.is_go())?;
        late.join()
    })
    .unwrap();
    parent.stop();
    assert!(
        parent.join().unwrap(),
        "the late child saw please_stop at once"
    );
}

#[test]
fn registered_alien_threads_are_in_the_tree_until_the_guard_drops() {
    let (path, children_path) = std::thread::spawn(|| {
        let _registered = RegisterThread::new("alien-worker");
        let child = Thread::run("its-child", |_| Thread::current().path().to_owned()).unwrap();
        (Thread::current().path().to_owned(), child.join().unwrap())
    })
    .join()
    .unwrap();
    assert_eq!(path, "main/alien-worker");
    assert_eq!(children_path, "main/alien-worker/its-child");
    assert!(
        !dump()
            .threads()
            .any(|entry| entry.path() == "main/alien-worker"),
        "gone from the tree once the guard dropped"
    );
}

#[test]
fn an_unregistered_thread_gets_a_name_and_one_warning() {
    test_log::capture();
    let path = std::thread::Builder::new()
        .name("made-by-someone-else".into())
        .spawn(|| {
            let first = Thread::current().path().to_owned();
            let second = Thread::current().path().to_owned();
            assert_eq!(first, second);
            first
        })
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(path, "main/made-by-someone-else");
    let warnings = test_log::records_mentioning("made-by-someone-else");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].starts_with("WARN"), "{warnings:?}");
}

#[test]
fn the_dump_shows_what_each_thread_is_blocked_on() {
    let lock = Arc::new(crate::lock::Lock::named("dump-lock", ()));
    let held = lock.lock();
    let blocked_on_lock = {
        let lock = lock.clone();
        Thread::run("wants-the-lock", move |_| drop(lock.lock())).unwrap()
    };
    let waiting = Thread::run("waits-for-stop", |please_stop| please_stop.wait()).unwrap();
    let lock_line = "wants-the-lock";
    // The holder is this test's thread, by the path the tree gave it.
    let blocked_on = r#"blocked on Lock "dump-lock", held by main/thread::tests::the_dump_shows_what_each_thread_is_blocked_on"#;
    eventually("both threads are blocked", || {
        let picture = dump().to_string();
        picture
            .lines()
            .any(|line| line.contains(lock_line) && line.ends_with(blocked_on))
            && picture
                .lines()
                .any(|line| line.contains("waits-for-stop") && line.contains("blocked on Signal"))
    });
    let picture = dump().to_string();
    assert!(picture.starts_with("main ("), "{picture}");
    assert!(picture.contains("── "), "box-drawing branches: {picture}");
    drop(held);
    waiting.stop();
    blocked_on_lock.join().unwrap();
    waiting.join().unwrap();
}

/// Issue 18, fault 7: a thread forgets a guard and ends; a new thread that
/// locks must wait for the Lock, as on any mutex, and not be told it holds it.
/// The holder's identity was the address of a thread-local, which a new thread
/// that gets the ended thread's cached stack (glibc reuses stacks of the same
/// size) has too: both threads ask for a stack size no other test uses, so
/// that the second gets the first's stack, as a reused identity would need.
#[test]
fn a_thread_is_never_told_it_holds_a_lock_that_an_ended_thread_forgot() {
    const STACK: usize = 9 * 1024 * 1024 + 4096;
    let lock = Arc::new(crate::lock::Lock::named("forgotten", ()));
    let spawn = |name: &'static str| {
        let lock = lock.clone();
        std::thread::Builder::new()
            .stack_size(STACK)
            .spawn(move || {
                let _registered = RegisterThread::new(name);
                std::mem::forget(lock.lock());
            })
            .unwrap()
    };
    spawn("forgets-its-guard").join().unwrap();
    let newcomer = spawn("locks-after-it-ended");
    let started = std::time::Instant::now();
    let state = loop {
        if newcomer.is_finished() {
            let panic = newcomer.join().unwrap_err();
            panic!(
                "the new thread was told it holds the Lock: {}",
                crate::panic::panic_message(&*panic)
            );
        }
        let state = dump()
            .threads()
            .find(|entry| entry.path() == "main/locks-after-it-ended")
            .map(|entry| entry.state().to_owned());
        if let Some(state) = state.filter(|state| state.starts_with("blocked on Lock")) {
            break state;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the new thread never blocked on the Lock"
        );
        std::thread::sleep(Duration::from_micros(200));
    };
    assert!(
        !newcomer.is_finished(),
        "blocked on the Lock, not panicking"
    );
    // Named, unless so many threads ended since that the runtime forgot it.
    assert!(
        [
            r#"blocked on Lock "forgotten", held by main/forgets-its-guard, which has ended"#,
            r#"blocked on Lock "forgotten", held by a thread that has ended"#,
        ]
        .contains(&state.as_str()),
        "the dump says the Lock is held by a thread that is gone: {state}"
    );
    // The forgotten guard never unlocks: the new thread stays blocked (and
    // registered) until the test process ends, as it would on any mutex.
}

#[test]
fn a_spawn_the_os_refuses_is_an_err_not_a_panic() {
    let refused = Thread::builder("too-big")
        .stack_size(usize::MAX / 2)
        .spawn(|_| ());
    let error = refused.expect_err("no OS gives a thread an exabyte of stack");
    assert_eq!(error.kind(), ThreadErrorKind::SpawnFailed);
    assert!(
        error.to_string().contains("/too-big could not start"),
        "{error}"
    );
    assert!(
        !dump().threads().any(|entry| entry.name() == "too-big"),
        "a thread that never started is not left in the tree"
    );
}

#[test]
fn a_thread_named_main_that_is_not_the_process_main_thread_is_not_the_root() {
    let path = std::thread::Builder::new()
        .name("main".into())
        .spawn(|| Thread::current().path().to_owned())
        .unwrap()
        .join()
        .unwrap();
    assert_ne!(path, "main", "an impostor was taken for the root");
    assert!(path.starts_with("main/"), "{path}");
}

#[test]
fn register_thread_refuses_the_names_a_spawn_refuses() {
    for name in ["", "a/b", "nul\0byte"] {
        let refused = std::thread::spawn(move || {
            std::panic::catch_unwind(|| drop(RegisterThread::new(name))).is_err()
        })
        .join()
        .unwrap();
        assert!(refused, "RegisterThread::new({name:?}) was accepted");
    }
}

#[test]
fn a_released_thread_that_stops_quietly_is_logged_at_debug_not_error() {
    test_log::capture();
    let polite = Thread::run(
        "quietly-stopped",
        |please_stop| -> Result<(), crate::thread::BoxError> {
            please_stop.wait();
            please_stop.check()?;
            Ok(())
        },
    )
    .unwrap();
    let stopped = polite.stopped().clone();
    polite.stop();
    polite.release();
    stopped.wait();
    eventually("the stop is logged", || {
        !test_log::records_mentioning("quietly-stopped").is_empty()
    });
    let logged = test_log::records_mentioning("quietly-stopped");
    assert!(
        logged.iter().all(|line| line.starts_with("DEBUG")),
        "a quiet stop is no failure: {logged:?}"
    );
}

#[test]
fn a_child_that_stops_quietly_does_not_fail_its_parent() {
    let parent = Thread::run("parent-of-polite", |_| {
        let child = Thread::run(
            "polite-child",
            |please_stop| -> Result<(), crate::thread::BoxError> {
                please_stop.wait();
                please_stop.check()?;
                Ok(())
            },
        )?;
        child.stop();
        child.stopped().wait();
        drop(child); // unjoined: its outcome is the parent's to fold in
        Ok::<_, ThreadError>(7_u8)
    })
    .unwrap();
    assert_eq!(
        parent.join().unwrap(),
        7,
        "a quiet stop folded in is no failure"
    );
}

#[test]
fn join_inside_a_then_callback_is_refused_like_a_wait_instead_of_hanging() {
    test_log::capture();
    let running = Thread::run("joined-in-a-callback", |please_stop| please_stop.wait()).unwrap();
    let stop = running.please_stop().clone();
    let trigger = Signal::named("trigger of the joining callback");
    trigger.then(move || {
        let _ = running.join();
    });
    let went = Signal::new();
    {
        let (trigger, went) = (trigger.clone(), went.clone());
        std::thread::spawn(move || {
            trigger.go();
            went.go();
        });
    }
    assert!(
        went.wait_till(&Till::seconds(30.0)),
        "go() returned instead of hanging in the callback's join"
    );
    let logged = test_log::records_mentioning("/joined-in-a-callback inside a then() callback");
    assert_eq!(logged.len(), 1, "{logged:?}");
    assert!(logged[0].contains("join() of thread main/"), "{logged:?}");
    stop.go();
}

/// A value or panic payload whose `Drop` panics.
struct PanicsOnDrop(&'static str);

impl Drop for PanicsOnDrop {
    fn drop(&mut self) {
        panic!("{} panicked in its drop", self.0);
    }
}

#[test]
fn a_hostile_panic_payload_is_a_panic_of_the_thread_for_its_joiner_and_its_scope() {
    let thread = Thread::run("hostile-payload", |_| -> () {
        std::panic::panic_any(PanicsOnDrop("the payload"))
    })
    .unwrap();
    let error = thread.join().unwrap_err();
    assert_eq!(error.kind(), ThreadErrorKind::Panicked);
    let in_scope = crate::thread::scope(|scope| {
        scope.spawn("hostile-in-scope", |_| -> () {
            std::panic::panic_any(PanicsOnDrop("the payload"))
        });
    });
    assert_eq!(
        in_scope.unwrap_err().kind(),
        ThreadErrorKind::Panicked,
        "the scope's failure is not lost"
    );
}

#[test]
fn a_released_child_with_a_hostile_payload_lets_its_parent_end() {
    let parent = Thread::run("parent-of-hostile", |_| {
        Thread::run("hostile-released", |_| -> () {
            std::panic::panic_any(PanicsOnDrop("the payload"))
        })?
        .release();
        Ok::<_, ThreadError>(())
    })
    .unwrap();
    assert!(
        parent.stopped().wait_till(&Till::seconds(30.0)),
        "the parent ends"
    );
    parent.join().unwrap();
}

#[test]
fn a_released_threads_value_that_panics_in_its_drop_is_logged() {
    test_log::capture();
    let thread = Thread::run("drop-panics-released", |_| {
        Ok::<_, ThreadError>(PanicsOnDrop("the value"))
    })
    .unwrap();
    let stopped = thread.stopped().clone();
    thread.release();
    stopped.wait();
    eventually("the panicking drop is logged", || {
        test_log::records_mentioning("/drop-panics-released returned, left to be dropped, panicked in its Drop: the value panicked in its drop")
            .len()
            == 1
    });
}

#[test]
fn a_parent_that_has_ended_takes_no_child_and_the_spawn_says_so() {
    let finished = Thread::run("finished-parent", |_| ()).unwrap();
    let parent = finished.thread_ref();
    finished.join().unwrap();
    let error = Thread::builder("adopted-too-late")
        .parent(&parent)
        .spawn(|please_stop| please_stop.wait())
        .unwrap_err();
    assert_eq!(error.kind(), ThreadErrorKind::ParentEnded);
    let described = error.to_string();
    assert!(
        described.contains("/finished-parent/adopted-too-late could not start: its parent main/")
            && described.ends_with("/finished-parent has ended"),
        "{described}"
    );
}

#[test]
fn a_restarted_threads_next_attempt_may_start_children_again() {
    // The end between attempts does not close the node to children.
    let mut attempts = 0;
    let thread = Thread::builder("restarted-with-children")
        .restart(
            crate::thread::Restart::on_failure()
                .backoff(Duration::from_millis(1), Duration::from_millis(1))
                .at_most(3, Duration::from_secs(60)),
        )
        .spawn(move |_| {
            attempts += 1;
            Thread::run("child", |_| ())?.join()?;
            if attempts < 2 {
                return Err::<u32, crate::thread::BoxError>("first attempt".into());
            }
            Ok(attempts)
        })
        .unwrap();
    assert_eq!(thread.join().unwrap(), 2);
}
