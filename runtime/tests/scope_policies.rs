//! Scopes with a policy (`thread::ScopeBuilder`): first success, quorum,
//! deadline and move-on, one behaviour per test, with the races between
//! them run many times: two successes at once, a failure and a success at
//! once, the deadline going while a child ends.
//!
//! No test sleeps and hopes: a child is made slow by a Signal the test
//! holds, and a deadline is a Signal the test makes go once the dump shows
//! the state it needs.

use more_threads::prelude::*;
use more_threads::signal::StopReason;
use more_threads::thread::{DeadlinePassed, ScopeBuilder, ThreadErrorKind};
use more_threads::{BoxError, dump};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// The path of the thread a test runs on, as the tree names it.
fn here() -> String {
    Thread::current().path().to_owned()
}

/// How many times each race is run.
const ROUNDS: usize = if cfg!(miri) { 3 } else { 50 };

/// Waits until the dump shows the thread named `name` blocked (on anything),
/// at most a minute.
fn until_blocked(name: &str) {
    let deadline = Till::seconds(60.0);
    loop {
        let picture = dump();
        let blocked = picture
            .threads()
            .any(|entry| entry.name() == name && entry.state().starts_with("blocked"));
        if blocked {
            return;
        }
        assert!(!deadline.is_go(), "{name} never blocked:\n{picture}");
        std::thread::yield_now();
    }
}

/// A racer that never succeeds on its own: it returns, quietly stopped,
/// once asked to stop.
fn until_stopped(please_stop: &Signal) -> Result<u8, BoxError> {
    please_stop.wait();
    please_stop.check()?;
    Ok(1)
}

/// A value that counts its drops, to see that none is lost or dropped twice.
struct Counted<'a>(&'static str, &'a AtomicUsize);

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.1.fetch_add(1, Ordering::SeqCst);
    }
}

// ------------------------------------------------------------ first success

#[test]
fn the_first_child_to_succeed_is_the_scopes_value_and_the_others_stop_because_of_it() {
    let slow_saw: Mutex<Option<StopReason>> = Mutex::new(None);
    let fastest = ScopeBuilder::new()
        .first_success(|race| {
            race.spawn("slow", |please_stop| {
                please_stop.wait();
                *slow_saw.lock().unwrap() = please_stop.reason();
                Err::<&str, BoxError>("interrupted".into())
            });
            until_blocked("slow");
            race.spawn("fast", |_| Ok::<_, BoxError>("fast's answer"));
        })
        .unwrap();
    assert_eq!(fastest, "fast's answer");
    let reason = slow_saw.into_inner().unwrap().expect("slow was stopped");
    assert_eq!(
        reason.to_string(),
        format!("{}/fast succeeded first", here())
    );
}

#[test]
fn a_failure_in_a_first_success_scope_stops_no_sibling() {
    let value = ScopeBuilder::new()
        .first_success(|race| {
            let failed = race.spawn("fails-first", |_| Err::<u32, _>("no luck"));
            // Joined, its failure is the joiner's; and it stopped nobody.
            assert_eq!(failed.join().unwrap_err().kind(), ThreadErrorKind::Failed);
            race.spawn("succeeds-later", |please_stop| {
                assert!(!please_stop.is_go(), "a failure stopped a sibling");
                Ok::<u32, &str>(9)
            });
        })
        .unwrap();
    assert_eq!(value, 9);
}

#[test]
fn a_first_success_scope_where_every_child_fails_returns_every_failure() {
    let error = ScopeBuilder::new()
        .first_success(|race| {
            for mirror in ["a", "b", "c"] {
                race.spawn(mirror, move |_| {
                    Err::<(), String>(format!("{mirror} is down"))
                });
            }
        })
        .unwrap_err();
    let mut all: Vec<String> = std::iter::once(&error)
        .chain(error.later())
        .map(|failure| failure.path().rsplit('/').next().unwrap().to_owned())
        .collect();
    all.sort();
    assert_eq!(all, ["a", "b", "c"], "{error:#}");
    for mirror in ["a is down", "b is down", "c is down"] {
        assert!(format!("{error:#}").contains(mirror), "{error:#}");
    }
}

#[test]
fn a_first_success_scope_with_no_child_fails_saying_none_succeeded() {
    let error = ScopeBuilder::new()
        .first_success(|_race: more_threads::thread::Race<'_, '_, u8>| {})
        .unwrap_err();
    assert_eq!(error.kind(), ThreadErrorKind::NotEnoughSuccesses);
    assert_eq!(
        error.to_string(),
        format!(
            "no child of the first-success scope in thread {} succeeded",
            here()
        )
    );
}

#[test]
fn the_block_of_a_race_returning_an_error_is_the_scopes_error() {
    let error = ScopeBuilder::new()
        .first_success(|race| {
            race.spawn("waits", until_stopped);
            Err::<(), BoxError>("the block gave up".into())
        })
        .unwrap_err();
    assert_eq!(error.kind(), ThreadErrorKind::Failed);
    assert!(
        format!("{error:#}").ends_with("the block gave up"),
        "{error:#}"
    );
}

#[test]
fn two_successes_at_once_give_one_value_and_drop_the_other_once() {
    for round in 0..ROUNDS {
        let dropped = AtomicUsize::new(0);
        let go = Signal::named("go");
        let winner = ScopeBuilder::new()
            .first_success(|race| {
                for name in ["left", "right"] {
                    let (go, dropped) = (&go, &dropped);
                    race.spawn(name, move |_| {
                        go.wait();
                        Ok::<_, BoxError>(Counted(name, dropped))
                    });
                }
                until_blocked("left");
                until_blocked("right");
                go.go();
            })
            .unwrap();
        assert!(["left", "right"].contains(&winner.0), "round {round}");
        assert_eq!(
            dropped.load(Ordering::SeqCst),
            1,
            "round {round}: the late value is dropped, once"
        );
        drop(winner);
        assert_eq!(dropped.load(Ordering::SeqCst), 2, "round {round}");
    }
}

#[test]
fn a_failure_and_a_success_at_once_give_the_success() {
    for round in 0..ROUNDS {
        let go = Signal::named("go");
        let value = ScopeBuilder::new()
            .first_success(|race| {
                let go = &go;
                race.spawn("fails", move |_| {
                    go.wait();
                    Err::<u32, &str>("broken")
                });
                race.spawn("works", move |_| {
                    go.wait();
                    Ok::<u32, &str>(round as u32)
                });
                until_blocked("fails");
                until_blocked("works");
                go.go();
            })
            .unwrap();
        assert_eq!(value, round as u32);
    }
}

// ----------------------------------------------------------------- quorum

#[test]
fn a_quorum_is_the_first_n_values_in_the_order_they_came_and_the_rest_are_stopped() {
    let (first, second) = (Signal::named("first"), Signal::named("second"));
    let straggler_saw: Mutex<Option<StopReason>> = Mutex::new(None);
    let values = ScopeBuilder::new()
        .quorum(2, |race| {
            race.spawn("straggler", |please_stop| {
                please_stop.wait();
                *straggler_saw.lock().unwrap() = please_stop.reason();
                please_stop.check()?;
                Ok::<_, BoxError>("straggler")
            });
            let (first, second) = (&first, &second);
            race.spawn("b", move |_| {
                first.wait();
                Ok::<_, BoxError>("b")
            });
            let c = race.spawn("c", move |_| {
                second.wait();
                Ok::<_, BoxError>("c")
            });
            until_blocked("b");
            until_blocked("straggler");
            // c succeeds, and has ended, before b may.
            second.go();
            c.stopped().wait();
            first.go();
        })
        .unwrap();
    assert_eq!(values, ["c", "b"]);
    let reason = straggler_saw.into_inner().unwrap().expect("it was stopped");
    assert_eq!(reason.to_string(), format!("{}/b succeeded first", here()));
}

#[test]
fn a_quorum_not_reached_gathers_the_failures() {
    let error = ScopeBuilder::new()
        .quorum(2, |race| {
            race.spawn("ok", |_| Ok::<u8, &str>(1));
            race.spawn("bad", |_| Err::<u8, &str>("bad replica"));
        })
        .unwrap_err();
    assert_eq!(error.kind(), ThreadErrorKind::Failed);
    assert!(format!("{error:#}").contains("bad replica"), "{error:#}");
}

#[test]
fn a_quorum_with_too_few_children_says_how_many_it_had() {
    let error = ScopeBuilder::new()
        .quorum(3, |race| {
            race.spawn("only", |_| Ok::<u8, &str>(1));
        })
        .unwrap_err();
    assert_eq!(error.kind(), ThreadErrorKind::NotEnoughSuccesses);
    assert!(
        error.to_string().ends_with("needed 3 successes and had 1"),
        "{error}"
    );
}

#[test]
#[should_panic(expected = "a quorum scope needs at least 1 success, not 0")]
fn a_quorum_of_zero_is_refused() {
    let _ = ScopeBuilder::new().quorum(0, |_race: more_threads::thread::Race<'_, '_, u8>| {});
}

// --------------------------------------------------------------- deadline

#[test]
fn a_deadline_that_passes_stops_every_child_and_says_what_each_was_doing() {
    let jobs: Queue<u32> = Queue::new("jobs");
    let deadline = Signal::named("the test's deadline");
    let reason: Mutex<Option<StopReason>> = Mutex::new(None);
    let error = ScopeBuilder::new()
        .deadline(&deadline)
        .run(|scope| {
            scope.spawn("consumer", |please_stop| {
                let _ = jobs.pop(); // gives up when asked to stop
                *reason.lock().unwrap() = please_stop.reason();
            });
            until_blocked("consumer");
            deadline.go();
        })
        .unwrap_err();
    assert_eq!(error.kind(), ThreadErrorKind::DeadlinePassed);
    assert_eq!(
        error.to_string(),
        format!("the scope in thread {} passed its deadline", here())
    );
    let passed: &DeadlinePassed = std::error::Error::source(&error)
        .and_then(|source| source.downcast_ref())
        .expect("the source says what was running");
    let still: Vec<(&str, &str)> = passed.still_running().collect();
    let consumer = format!("{}/consumer", here());
    assert_eq!(
        still,
        [(consumer.as_str(), "blocked on Queue \"jobs\"")],
        "{passed}"
    );
    let reason = reason.into_inner().unwrap().expect("it was stopped");
    assert_eq!(
        reason.to_string(),
        format!("the deadline of the scope in {} passed", here())
    );
}

#[test]
fn a_scope_that_ends_before_its_deadline_returns_its_value_and_leaves_nothing_on_the_deadline() {
    let deadline = Signal::named("far away");
    let value = ScopeBuilder::new()
        .deadline(&deadline)
        .run(|scope| scope.spawn("quick", |_| 5_u8).join())
        .unwrap();
    assert_eq!(value, 5);
    assert_eq!(
        deadline.pending_callbacks(),
        0,
        "the scope took its callback off the deadline"
    );
    deadline.go(); // too late: nothing happens
}

#[test]
fn a_failure_beats_the_deadline() {
    let deadline = Signal::named("deadline");
    let error = ScopeBuilder::new()
        .deadline(&deadline)
        .run(|scope| {
            scope.spawn("waits", |please_stop| please_stop.wait());
            until_blocked("waits");
            let breaks = scope.spawn("breaks", |_| Err::<(), &str>("it broke"));
            breaks.stopped().wait();
            drop(breaks); // unjoined: its failure is the scope's
            // After the failure, while "waits" may still be stopping.
            deadline.go();
        })
        .unwrap_err();
    assert_eq!(error.kind(), ThreadErrorKind::Failed, "{error:#}");
    assert!(error.path().ends_with("/breaks"), "{error}");
}

#[test]
fn a_deadline_already_gone_stops_every_child_at_birth() {
    let error = ScopeBuilder::new()
        .deadline(Signal::gone())
        .run(|scope| {
            let born = scope.spawn("born-late", |please_stop| please_stop.is_go());
            assert!(born.join().unwrap(), "born asked to stop");
        })
        .unwrap_err();
    assert_eq!(error.kind(), ThreadErrorKind::DeadlinePassed);
    assert!(
        format!("{error:#}").ends_with("no child was running when its deadline (gone) passed"),
        "{error:#}"
    );
}

#[test]
fn the_deadline_going_while_the_last_child_ends_gives_its_value_or_the_deadline_never_a_hang() {
    let (mut in_time, mut late) = (0, 0);
    for round in 0..ROUNDS {
        let (finish, deadline) = (Signal::named("finish"), Signal::named("deadline"));
        let outcome = ScopeBuilder::new().deadline(&deadline).run(|scope| {
            let finish = &finish;
            let child = scope.spawn("ending", move |_| {
                finish.wait();
                round
            });
            until_blocked("ending");
            let racer = {
                let deadline = deadline.clone();
                Thread::run("deadline-racer", move |_| deadline.go()).unwrap()
            };
            finish.go();
            racer.join().unwrap();
            child.join()
        });
        match outcome {
            Ok(value) => {
                assert_eq!(value, round);
                in_time += 1;
            }
            Err(error) => {
                assert_eq!(error.kind(), ThreadErrorKind::DeadlinePassed, "{error:#}");
                late += 1;
            }
        }
    }
    assert_eq!(in_time + late, ROUNDS);
}

#[test]
fn move_on_after_gives_none_once_the_deadline_passed_and_some_in_time() {
    let deadline = Signal::named("deadline");
    let gave_up = ScopeBuilder::new()
        .move_on_after(&deadline)
        .run(|scope| {
            let forever = scope.spawn("forever", |please_stop| please_stop.wait());
            until_blocked("forever");
            deadline.go();
            forever.join()
        })
        .unwrap();
    assert_eq!(gave_up, None);
    let in_time = ScopeBuilder::new()
        .move_on_after(Duration::from_secs(60))
        .run(|scope| scope.spawn("quick", |_| 3_u8).join())
        .unwrap();
    assert_eq!(in_time, Some(3));
}

#[test]
fn a_race_under_a_deadline_that_passes_with_no_success_fails_with_the_deadline_and_the_failures() {
    let deadline = Signal::named("deadline");
    let error = ScopeBuilder::new()
        .deadline(&deadline)
        .first_success(|race| {
            race.spawn("down", |_| Err::<u8, &str>("mirror down"));
            race.spawn("hangs", until_stopped);
            until_blocked("hangs");
            deadline.go();
        })
        .unwrap_err();
    assert_eq!(error.kind(), ThreadErrorKind::DeadlinePassed, "{error:#}");
    assert_eq!(error.later().len(), 1, "{error:#}");
    assert!(format!("{error:#}").contains("mirror down"), "{error:#}");
}

#[test]
fn a_race_that_moves_on_gives_none() {
    let deadline = Signal::named("deadline");
    let nothing = ScopeBuilder::new()
        .move_on_after(&deadline)
        .first_success(|race| {
            race.spawn("hangs", until_stopped);
            until_blocked("hangs");
            deadline.go();
        })
        .unwrap();
    assert_eq!(nothing, None);
}
