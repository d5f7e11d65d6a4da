//! The rules of a scope, one behaviour per test, for the closure form
//! (`more_threads::scope`) and `scope!` alike: the end waits, released
//! children are stopped, the first failure stops the rest and is the scope's
//! error, a quiet stop is no failure, early exits stop and join, fan-in in
//! completion order, and no child outlives what it borrows.

use more_threads::prelude::*;
use more_threads::{BoxError, as_completed, join_all, scope, thread::ThreadErrorKind};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Far longer than any test should take: waiting on it means "until stopped".
fn a_long_time() -> Signal {
    Till::seconds(60.0)
}

#[test]
fn the_end_of_a_block_waits_for_spawned_children_instead_of_stopping_them() {
    let saw_stop = AtomicUsize::new(0);
    let finished = AtomicUsize::new(0);
    scope(|scope| {
        for index in 0..3 {
            let (saw_stop, finished) = (&saw_stop, &finished);
            scope.spawn(format!("hasher-{index}"), move |please_stop| {
                // Had the end stopped us, this would return at once, stopped.
                if please_stop.wait_till(&Till::seconds(0.1)) {
                    saw_stop.fetch_add(1, Ordering::SeqCst);
                }
                finished.fetch_add(1, Ordering::SeqCst);
            });
        }
    })
    .unwrap();
    assert_eq!(finished.load(Ordering::SeqCst), 3, "every child finished");
    assert_eq!(
        saw_stop.load(Ordering::SeqCst),
        0,
        "no child was asked to stop"
    );
}

#[test]
fn a_block_written_like_std_thread_scope_does_all_its_work() {
    let files: Vec<String> = (0..20).map(|n| format!("file-{n}")).collect();
    let hashed = Mutex::new(Vec::new());
    scope! {
        for chunk in files.chunks(5) {
            let hashed = &hashed;
            spawn format!("hash-{}", chunk[0]) => move |_please_stop| {
                for file in chunk {
                    hashed.lock().unwrap().push(file.len());
                }
            };
        }
    };
    assert_eq!(hashed.lock().unwrap().len(), 20, "20 of 20 files hashed");
}

#[test]
fn released_children_are_stopped_at_the_end_then_joined() {
    let stopped = AtomicUsize::new(0);
    scope(|scope| {
        scope
            .spawn("background", |please_stop| {
                please_stop.wait_till(&a_long_time());
                stopped.fetch_add(usize::from(please_stop.is_go()), Ordering::SeqCst);
            })
            .release();
    })
    .unwrap();
    assert_eq!(stopped.load(Ordering::SeqCst), 1);
}

#[test]
fn the_first_failure_stops_siblings_at_once_and_is_the_scopes_error_with_the_others_attached() {
    let started = Instant::now();
    let error = scope(|scope| {
        scope.spawn("patient", |please_stop| -> Result<(), BoxError> {
            please_stop.wait_till(&a_long_time());
            please_stop.check()?; // a quiet stop: not attached
            Ok(())
        });
        scope.spawn("broken", |_| Err::<(), _>("bad chunk"));
        scope.spawn("fragile", |please_stop| {
            please_stop.wait_till(&a_long_time());
            Err::<(), _>("broke while stopping")
        });
    })
    .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "the siblings were stopped, not waited for: {:?}",
        started.elapsed()
    );
    assert_eq!(error.kind(), ThreadErrorKind::Failed);
    assert!(error.path().ends_with("/broken"), "{error}");
    assert_eq!(error.later().len(), 1, "{error:?}");
    assert!(error.later()[0].path().ends_with("/fragile"), "{error}");
}

#[test]
fn a_panic_in_a_child_stops_the_rest_and_is_the_scopes_error() {
    let error = scope(|scope| {
        scope.spawn("waiting", |please_stop| {
            please_stop.wait_till(&a_long_time())
        });
        scope.spawn("panicking", |_| -> () { panic!("out of cheese") });
    })
    .unwrap_err();
    assert_eq!(error.kind(), ThreadErrorKind::Panicked);
    assert_eq!(error.panic().unwrap().message(), "out of cheese");
}

#[test]
fn a_quiet_stop_is_not_a_failure() {
    let value = scope(|scope| {
        scope
            .spawn("polite", |please_stop| -> Result<(), BoxError> {
                loop {
                    please_stop.check()?;
                    please_stop.wait();
                }
            })
            .release();
        7_u8
    });
    assert_eq!(value.unwrap(), 7);
}

#[test]
fn joining_a_child_that_stopped_quietly_says_stopped() {
    let kind = scope(|scope| {
        let polite = scope.spawn("polite", |please_stop| -> Result<(), BoxError> {
            please_stop.wait();
            Ok(please_stop.check()?)
        });
        polite.stop();
        Ok::<_, ThreadError>(polite.join().unwrap_err().kind())
    });
    assert_eq!(kind.unwrap(), ThreadErrorKind::Stopped);
}

fn early_exit(stopped: &AtomicUsize) -> Result<(), BoxError> {
    scope! {
        for index in 0..3 {
            spawn format!("waiter-{index}") => |please_stop: &Signal| {
                please_stop.wait_till(&a_long_time());
                stopped.fetch_add(usize::from(please_stop.is_go()), Ordering::SeqCst);
            };
        }
        Err("gave up")?;
        Ok(())
    }
}

#[test]
fn an_early_exit_stops_every_child_and_joins_it_before_leaving() {
    let stopped = AtomicUsize::new(0);
    assert_eq!(early_exit(&stopped).unwrap_err().to_string(), "gave up");
    assert_eq!(stopped.load(Ordering::SeqCst), 3, "all stopped, all joined");
}

#[test]
fn the_closures_own_err_is_kept_beside_the_children_failures() {
    // The closure gives up first: its error is the scope's, the child's
    // failure while stopping is attached.
    let error = scope(|scope| {
        scope.spawn("consumer", |please_stop| {
            please_stop.wait_till(&a_long_time());
            Err::<(), _>("channel closed")
        });
        Err::<(), _>(std::io::Error::other("disk full"))
    })
    .unwrap_err();
    assert!(
        error.to_string().starts_with("the scope in thread"),
        "{error}"
    );
    let own = error.failure().expect("the closure's own error");
    assert_eq!(own.to_string(), "disk full");
    assert!(own.downcast_ref::<std::io::Error>().is_some());
    assert!(error.later()[0].path().ends_with("/consumer"), "{error}");
    assert!(
        format!("{error:#}").contains(" failed: disk full; then 1 more failure: [thread "),
        "{error:#}"
    );

    // A child fails first: its failure is the scope's, the closure's own
    // error (a consequence) is attached.
    let error = scope(|scope| {
        let broken = scope.spawn("broken", |_| Err::<(), _>("bad data"));
        broken.stopped().wait();
        Err::<(), _>("could not finish")
    })
    .unwrap_err();
    assert!(error.path().ends_with("/broken"), "{error}");
    assert!(
        format!("{:#}", error.later()[0]).ends_with("could not finish"),
        "{error:#}"
    );
}

#[test]
fn a_failure_joined_by_its_handle_is_not_reported_again() {
    let value = scope(|scope| {
        let broken = scope.spawn("broken", |_| Err::<(), _>("handled"));
        broken.join().is_err()
    });
    assert!(
        value.unwrap(),
        "the joiner got the failure, and the scope is fine"
    );
}

#[test]
fn a_spawn_with_an_invalid_name_is_an_error_naming_the_line_of_the_spawn() {
    let error = scope(|scope| {
        scope.spawn(String::new(), |_| ());
    })
    .unwrap_err();
    assert_eq!(error.kind(), ThreadErrorKind::InvalidName);
    assert!(error.to_string().contains("tests/scope.rs:"), "{error}");
}

#[test]
fn as_completed_yields_children_as_they_finish() {
    let order = scope(|scope| {
        let slow = scope.spawn("slow", |please_stop| {
            please_stop.wait_till(&Till::seconds(0.3));
            "slow"
        });
        let quick = scope.spawn("quick", |_| "quick");
        as_completed([slow, quick])
            .map(Result::unwrap)
            .collect::<Vec<_>>()
    });
    assert_eq!(order.unwrap(), ["quick", "slow"]);
}

#[test]
fn fan_in_fails_fast_in_completion_order() {
    let started = Instant::now();
    let error = scope(|scope| {
        let chunks: Vec<_> = (0..4)
            .map(|n| {
                scope.spawn(format!("chunk-{n}"), move |please_stop| {
                    if n == 3 {
                        return Err("bad chunk".into());
                    }
                    please_stop.wait_till(&a_long_time());
                    please_stop.check()?;
                    Ok::<_, BoxError>(n)
                })
            })
            .collect();
        let mut total = 0;
        for outcome in as_completed(chunks) {
            total += outcome?;
        }
        Ok::<_, ThreadError>(total)
    })
    .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(30));
    assert!(error.path().ends_with("/chunk-3"), "{error}");
    assert!(
        error.later().is_empty(),
        "stopped chunks are quiet: {error:?}"
    );
}

#[test]
fn join_all_takes_scoped_handles() {
    let outcomes = scope(|scope| {
        let handles: Vec<_> = (0..3_u32)
            .map(|n| scope.spawn(format!("square-{n}"), move |_| n * n))
            .collect();
        join_all(handles)
            .into_iter()
            .map(Result::unwrap)
            .collect::<Vec<_>>()
    });
    assert_eq!(outcomes.unwrap(), [0, 1, 4]);
}

#[test]
fn unscoped_threads_fan_in_in_completion_order_too() {
    let slow = Thread::run("slow", |please_stop| {
        please_stop.wait_till(&Till::seconds(0.3));
        2_u8
    })
    .unwrap();
    let quick = Thread::run("quick", |_| 1_u8).unwrap();
    let order: Vec<u8> = as_completed([slow, quick]).map(Result::unwrap).collect();
    assert_eq!(order, [1, 2]);
}

#[test]
fn a_child_that_spawns_into_the_scope_while_it_ends_is_waited_for() {
    let data: Vec<u64> = (1..=3).collect(); // on the heap, for Miri to watch
    let seen = Mutex::new(Vec::new());
    scope(|scope| {
        scope
            .spawn("spawner", |please_stop| {
                please_stop.wait(); // until the end stops it
                scope.spawn("late", |_| {
                    seen.lock().unwrap().push(data.iter().sum::<u64>())
                });
            })
            .release();
    })
    .unwrap();
    assert_eq!(
        *seen.lock().unwrap(),
        [6],
        "the late child ran, and was waited for"
    );
}

#[test]
fn a_child_may_spawn_siblings_that_the_end_waits_for() {
    let crawled = AtomicUsize::new(0);
    scope(|scope| {
        scope.spawn("crawler", |_| {
            for page in 0..3 {
                let crawled = &crawled;
                scope.spawn(format!("page-{page}"), move |_| {
                    crawled.fetch_add(1, Ordering::SeqCst);
                });
            }
        });
    })
    .unwrap();
    assert_eq!(crawled.load(Ordering::SeqCst), 3);
}

#[test]
fn a_panic_in_the_block_still_stops_and_joins_every_child() {
    let stopped = AtomicUsize::new(0);
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        scope(|scope| {
            scope.spawn("waiter", |please_stop| {
                please_stop.wait_till(&a_long_time());
                stopped.fetch_add(1, Ordering::SeqCst);
            });
            if stopped.load(Ordering::SeqCst) == 0 {
                panic!("the block broke");
            }
        })
    }));
    assert!(panicked.is_err());
    assert_eq!(
        stopped.load(Ordering::SeqCst),
        1,
        "stopped and joined first"
    );
}

#[test]
fn the_enclosing_threads_please_stop_reaches_every_child() {
    let outer = Thread::run("outer", |_| {
        scope(|scope| {
            for index in 0..2 {
                scope.spawn(format!("inner-{index}"), |please_stop| {
                    please_stop.wait_till(&a_long_time());
                    please_stop.is_go()
                });
            }
        })
    })
    .unwrap();
    // The children wait; stopping the outer thread must reach them.
    let inner = loop {
        let children = outer.thread_ref().children();
        if children.len() == 2 {
            break children;
        }
        std::thread::yield_now();
    };
    outer.stop();
    outer.join().unwrap();
    assert!(inner.iter().all(|child| child.please_stop().is_go()));
}

/// The second repro of the guard-based `scope!`: a spawn inside a leaked
/// `move` closure, then a way out of the block. The closure now holds only
/// `&Scope`, and the scope's end is in the runtime, which no `return` skips:
/// the reader has finished before `data` is freed (Miri checks the reads).
fn leak_a_spawner_then_return(data: &[u8]) -> usize {
    scope! {
        let spawner = move || spawn "reader" => |_please_stop| data.iter().map(|&b| usize::from(b)).sum::<usize>();
        let reader = spawner();
        std::mem::forget(Box::new(spawner));
        std::mem::forget(reader);
        return 0;
    }
}

#[test]
fn a_leaked_move_closure_that_spawns_cannot_outlive_the_scope() {
    for _ in 0..3 {
        let data = vec![1_u8, 2, 3];
        assert_eq!(leak_a_spawner_then_return(&data), 0);
        drop(data); // the reader has finished: nothing reads freed memory
    }
}

#[test]
fn a_forgotten_handle_still_has_its_failure_reported() {
    let error = scope(|scope| {
        std::mem::forget(scope.spawn("forgotten", |_| Err::<(), _>("still counted")));
    })
    .unwrap_err();
    assert!(format!("{error:#}").ends_with("still counted"), "{error:#}");
}
