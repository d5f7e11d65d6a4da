//! The DSL end to end: `#[worker]`, `scope!` and `#[more_threads::test]`,
//! each behaviour one test.

use more_threads::prelude::*;
use more_threads::{scope, thread::ThreadErrorKind};
use std::sync::atomic::{AtomicUsize, Ordering};

#[worker]
fn count_to(limit: u32) -> u32 {
    let mut count = 0;
    while count < limit && !please_stop.is_go() {
        count += 1;
    }
    count
}

#[worker]
fn parse_number(text: String) -> Result<i64, std::num::ParseIntError> {
    let number = text.trim().parse::<i64>()?;
    Ok(number * 2)
}

#[worker]
fn sum_slice(numbers: &[u64]) -> u64 {
    numbers.iter().sum()
}

#[worker]
fn generic_len<T: Send + 'static>(items: Vec<T>) -> usize {
    items.len()
}

#[worker]
fn total(items: impl IntoIterator<Item = u32> + Send + 'static) -> u32 {
    items.into_iter().sum()
}

#[worker]
fn wait_for_stop() -> &'static str {
    please_stop.wait();
    "stopped"
}

struct Crawler {
    pages: Vec<&'static str>,
}

impl Crawler {
    #[worker]
    fn crawl(self, depth: usize) -> usize {
        self.pages.len() * depth
    }

    #[worker]
    fn peek(&self) -> usize {
        self.pages.len()
    }
}

#[test]
fn a_worker_fn_runs_on_a_thread_of_its_own() {
    let thread = Thread::run("counter", count_to(10)).unwrap();
    assert_eq!(thread.join().unwrap(), 10);
}

#[test]
fn a_worker_fn_runs_on_the_current_thread_with_run() {
    assert_eq!(count_to(3).run(&Signal::new()), 3);
}

#[test]
fn a_worker_sees_its_please_stop() {
    let thread = Thread::run("waiter", wait_for_stop()).unwrap();
    thread.stop();
    assert_eq!(thread.join().unwrap(), "stopped");
}

#[test]
fn a_workers_err_is_the_threads_failure_and_question_mark_works_in_it() {
    let error = Thread::run("parser", parse_number("x".into()))
        .unwrap()
        .join()
        .unwrap_err();
    assert_eq!(error.kind(), ThreadErrorKind::Failed);
    assert_eq!(parse_number(" 21 ".into()).run(&Signal::new()).unwrap(), 42);
}

#[test]
fn workers_take_generics_impl_trait_and_self() {
    assert_eq!(generic_len(vec!['a', 'b']).run(&Signal::new()), 2);
    assert_eq!(total(vec![1, 2, 3]).run(&Signal::new()), 6);
    let crawler = Crawler {
        pages: vec!["a", "b"],
    };
    assert_eq!(crawler.peek().run(&Signal::new()), 2);
    let thread = Thread::run("crawler", crawler.crawl(3)).unwrap();
    assert_eq!(thread.join().unwrap(), 6);
}

#[test]
fn scoped_spawns_borrow_from_the_enclosing_function() {
    let numbers: Vec<u64> = (1..=100).collect();
    let (low, high) = numbers.split_at(50);
    let sum = scope! {
        let low = spawn "low" => sum_slice(low);
        let high = spawn "high" => |_please_stop| high.iter().sum::<u64>();
        low.join().unwrap() + high.join().unwrap()
    };
    assert_eq!(sum, 5050);
}

#[test]
fn spawns_in_loops_and_branches_all_run_and_are_joined_at_the_end() {
    let counted = AtomicUsize::new(0);
    scope! {
        for index in 0..4 {
            if index % 2 == 0 {
                spawn format!("even-{index}") => |_please_stop| counted.fetch_add(1, Ordering::SeqCst);
            } else {
                release spawn format!("odd-{index}") => |_please_stop| counted.fetch_add(1, Ordering::SeqCst);
            }
        }
    };
    assert_eq!(
        counted.load(Ordering::SeqCst),
        4,
        "every child ran before the scope ended"
    );
}

#[test]
fn the_scope_stops_released_children_still_running_at_its_end() {
    let stopped = AtomicUsize::new(0);
    scope! {
        for index in 0..3 {
            release spawn format!("idle-{index}") => |please_stop: &Signal| {
                please_stop.wait();
                stopped.fetch_add(1, Ordering::SeqCst);
            };
        }
    };
    assert_eq!(stopped.load(Ordering::SeqCst), 3);
}

fn early_return(fail: bool) -> Result<u32, String> {
    let data = [1_u32, 2, 3];
    let value = scope! {
        let child = spawn "child" => |_please_stop| data.iter().sum::<u32>();
        if fail {
            return Err("left early".to_owned());
        }
        child.join().map_err(|error| error.to_string())?
    };
    Ok(value)
}

#[test]
fn return_and_question_mark_act_on_the_enclosing_function() {
    assert_eq!(early_return(false), Ok(6));
    assert_eq!(early_return(true), Err("left early".to_owned()));
}

fn unjoined_failure() -> Result<(), ThreadError> {
    scope! {
        spawn "doomed" => |_please_stop| Err::<(), _>("lost?");
        Ok(())
    }
}

/// The block's type is never guessed: a `Result` block is a value like any
/// other, and an unjoined failure panics (as `std::thread::scope` does)...
#[test]
#[should_panic(expected = "/doomed failed: lost?")]
fn an_unjoined_failure_makes_a_result_scope_panic_too() {
    let _ = unjoined_failure();
}

/// ...while the function form returns it as its `Err`.
#[test]
fn the_function_form_returns_an_unjoined_failure_as_its_err() {
    let error = more_threads::scope(|scope| {
        scope.spawn("doomed", |_please_stop| Err::<(), _>("lost?"));
    })
    .unwrap_err();
    assert_eq!(error.kind(), ThreadErrorKind::Failed);
    assert!(error.path().ends_with("/doomed"), "{error}");
    assert!(
        format!("{error:#}").ends_with("/doomed failed: lost?"),
        "{error:#}"
    );
}

#[test]
#[should_panic(expected = "/doomed panicked: boom")]
fn an_unjoined_failure_makes_any_other_scope_panic() {
    scope! {
        spawn "doomed" => |_please_stop| -> () { panic!("boom") };
    };
}

#[test]
fn a_nested_scope_inside_a_worker_works() {
    let words = ["a", "bb", "ccc"];
    let total = scope! {
        let outer = spawn "outer" => |_please_stop| scope! {
            let inner = spawn "inner" => |_please_stop| words.iter().map(|w| w.len()).sum::<usize>();
            inner.join().unwrap()
        };
        outer.join().unwrap()
    };
    assert_eq!(total, 6);
}

#[test]
fn a_spawn_with_a_bad_runtime_name_fails_at_join_not_silently() {
    let name = String::from("has/slash");
    let result = scope! {
        let child = spawn name.clone() => |_please_stop| 1_u8;
        child.join()
    };
    let error = result.unwrap_err();
    assert_eq!(error.kind(), ThreadErrorKind::InvalidName);
    assert!(
        error
            .to_string()
            .contains("(spawned at runtime/tests/dsl.rs:"),
        "the error names the user's line, not a library one: {error}"
    );
}

#[test]
fn the_closure_api_scope_works_too() {
    let text = String::from("hello");
    let length = scope(|scope| scope.spawn("len", |_| text.len()).join()).unwrap();
    assert_eq!(length, 5);
}

#[more_threads::test]
fn a_dsl_test_runs_as_a_registered_thread() {
    assert!(
        Thread::current().path().starts_with("main/test-"),
        "{}",
        Thread::current().path()
    );
    assert!(!please_stop.is_go());
    let child = Thread::run("child", |please_stop| please_stop.wait()).unwrap();
    child.release(); // the test's end stops and joins it
}

#[more_threads::test]
fn a_dsl_test_may_return_a_result() -> Result<(), ThreadError> {
    Thread::run("ok", |_| ())?.join()
}

#[derive(Debug)]
struct ParseFailure(String);

impl From<std::num::ParseIntError> for ParseFailure {
    fn from(error: std::num::ParseIntError) -> Self {
        ParseFailure(error.to_string())
    }
}

impl From<ThreadError> for ParseFailure {
    fn from(error: ThreadError) -> Self {
        ParseFailure(error.to_string())
    }
}

fn parse_and_add(text: &str, data: &[u32]) -> Result<u32, ParseFailure> {
    let total = scope! {
        let sum = spawn "sum" => |_please_stop| data.iter().sum::<u32>();
        let n: u32 = text.parse()?; // ParseIntError -> ParseFailure, as in the fn
        if n == 0 {
            return Ok(99);
        }
        sum.join()? + n
    };
    Ok(total)
}

#[test]
fn question_mark_keeps_the_enclosing_functions_from_conversion() {
    assert_eq!(parse_and_add("3", &[1, 2]).unwrap(), 6);
    assert!(
        parse_and_add("x", &[1, 2])
            .unwrap_err()
            .0
            .contains("invalid digit")
    );
    assert_eq!(parse_and_add("0", &[1, 2]).unwrap(), 99);
}

fn first_even(items: &[Option<u32>]) -> Option<u32> {
    let mut found = None;
    for item in items {
        scope! {
            let value = (*item)?; // None leaves the fn, after the scope
            let doubled = spawn "double" => move |_please_stop| value * 2;
            if value % 2 == 1 {
                continue;
            }
            found = Some(doubled.join().unwrap());
            break;
        }
    }
    found
}

#[test]
fn option_question_mark_break_and_continue_act_on_the_enclosing_fn_and_loop() {
    assert_eq!(first_even(&[Some(1), Some(4), Some(6)]), Some(8));
    assert_eq!(first_even(&[Some(1), None, Some(6)]), None);
    assert_eq!(first_even(&[Some(1), Some(3)]), None);
}

#[test]
fn labelled_breaks_and_break_values_leave_the_right_loop() {
    let mut rounds = 0;
    let found = 'outer: loop {
        for index in 0_u32.. {
            rounds += 1;
            scope! {
                let square = spawn "square" => move |_please_stop| index * index;
                let square = square.join().unwrap();
                if square > 10 {
                    break 'outer square;
                }
                for inner in 0..3 {
                    if inner == 1 {
                        break; // the inner loop, inside the block
                    }
                }
            }
        }
    };
    assert_eq!((found, rounds), (16, 5));
}

#[test]
fn spawn_works_in_match_arms_closures_and_as_an_argument() {
    let names = ["a", "bb", "ccc"];
    let choice = Some(5_u32);
    let total = scope! {
        let mut handles = Vec::new();
        for _ in 0..1 {
            handles.push(spawn "pushed" => |_please_stop| 1_usize);
        }
        let mapped: Vec<_> = names
            .iter()
            .map(|name| spawn *name => move |_please_stop| name.len())
            .collect();
        let picked = match choice {
            Some(n) => spawn "some" => move |_please_stop| n as usize,
            None => spawn "none" => |_please_stop| 0_usize,
        };
        let mut total = picked.join().unwrap();
        for handle in handles.into_iter().chain(mapped) {
            total += handle.join().unwrap();
        }
        total
    };
    assert_eq!(total, 5 + 1 + 6);
}

fn nested_return(fail_inside: bool) -> Result<u32, ThreadError> {
    let value = scope! {
        let outer = spawn "outer" => |_please_stop| 1_u32;
        let inner = scope! {
            let inner = spawn "inner" => |_please_stop| 2_u32;
            if fail_inside {
                return Ok(100); // leaves nested_return, after both scopes
            }
            inner.join()?
        };
        outer.join()? + inner
    };
    Ok(value)
}

#[test]
fn a_return_in_a_nested_scope_leaves_the_enclosing_fn_after_both_scopes() {
    assert_eq!(nested_return(false).unwrap(), 3);
    assert_eq!(nested_return(true).unwrap(), 100);
}

#[test]
fn a_scope_takes_the_crate_path_option() {
    mod renamed {
        pub use more_threads as threads;
    }
    let value = scope! {
        #![crate = "renamed::threads"]
        let answer = spawn "answer" => |_please_stop| 42_u8;
        answer.join().unwrap()
    };
    assert_eq!(value, 42);
}

#[test]
fn a_blocks_own_inner_attributes_stay_over_its_statements() {
    fn leaves(early: bool) -> Option<u8> {
        let value = scope! {
            #![allow(unused_variables)]
            let unused = 1;
            if early {
                return None;
            }
            let answer = spawn "answer" => |_please_stop| 7_u8;
            answer.join().unwrap()
        };
        Some(value)
    }
    let value = scope! {
        #![allow(unused_variables)]
        #![cfg_attr(all(), allow(unused_mut))]
        let mut unused = 1;
        let answer = spawn "answer" => |_please_stop| 42_u8;
        answer.join().unwrap()
    };
    assert_eq!(value, 42);
    assert_eq!(leaves(false), Some(7));
    assert_eq!(leaves(true), None);
}

#[test]
fn a_first_statement_named_like_an_option_is_the_blocks_own() {
    let (mut deadline, mut quorum, mut timeout) = (1_u32, 1_u32, 1_u32);
    let read = (deadline, quorum, timeout);
    let doubled = scope! {
        deadline = 2;
        let doubled = spawn "double" => move |_please_stop| deadline * 2;
        doubled.join().unwrap()
    };
    let counted = scope! {
        quorum = 3;
        quorum + 1
    };
    let waited = scope! {
        timeout = 5;
        timeout
    };
    assert_eq!(read, (1, 1, 1));
    assert_eq!((deadline, quorum, timeout), (2, 3, 5));
    assert_eq!(
        (doubled, counted, waited),
        (4, 4, 5),
        "no scope was read as one with a policy"
    );
}

#[test]
fn a_question_mark_inside_a_macro_in_the_block_acts_on_the_fn() {
    fn describe(text: &str) -> Result<String, ParseFailure> {
        scope! {
            let echo = spawn "echo" => |_please_stop| text.len();
            Ok(format!("{} and {}", text.parse::<u32>()?, echo.join()?))
        }
    }
    assert_eq!(describe("12").unwrap(), "12 and 2");
    assert!(describe("x").is_err());
}

// Scope policies: `deadline`, `move_on_after`, `first_success`, `quorum`.
// A deadline the test must see pass is a Signal the test makes go; a child
// that must be slow waits for its `please_stop` (or a Signal the test
// holds), never for a sleep.

mod policies {
    use super::*;
    use more_threads::signal::StopReason;
    use std::time::{Duration, Instant};

    /// A worker that waits to be asked to stop, and says it was.
    fn until_stopped(please_stop: &Signal) -> Result<u32, BoxError> {
        please_stop.wait();
        please_stop.check()?;
        Ok(0)
    }

    #[test]
    fn a_deadline_scope_that_ends_in_time_is_ok_with_its_blocks_value() {
        let base = Instant::now();
        let words = ["three", "words", "here"];
        let total = scope! {
            #![deadline = Till::at(base + Duration::from_secs(600))]
            let count = spawn "count" => |_please_stop| words.len();
            count.join().unwrap() * 10
        };
        assert_eq!(total.unwrap(), 30);
    }

    #[test]
    fn a_deadline_scope_fails_with_deadline_passed_naming_each_child_still_running() {
        let passed = Signal::named("the test's deadline");
        let error = scope! {
            #![deadline = &passed]
            spawn "stuck" => |please_stop| please_stop.wait();
            passed.go();
        }
        .unwrap_err();
        assert_eq!(error.kind(), ThreadErrorKind::DeadlinePassed, "{error:#}");
        assert!(format!("{error:#}").contains("/stuck was "), "{error:#}");
    }

    #[test]
    fn a_duration_deadline_counts_from_the_scopes_start() {
        let base = Instant::now();
        let error = scope! {
            #![deadline = Duration::from_millis(20)]
            spawn "stuck" => |please_stop| please_stop.wait();
        }
        .unwrap_err();
        assert_eq!(error.kind(), ThreadErrorKind::DeadlinePassed, "{error:#}");
        assert!(
            base.elapsed() >= Duration::from_millis(20),
            "the scope gave up after {:?}, before its deadline",
            base.elapsed()
        );
    }

    #[test]
    fn a_move_on_after_scope_gives_none_once_its_deadline_passed() {
        let passed = Signal::new();
        let moved_on = scope! {
            #![move_on_after = &passed]
            let stuck = spawn "stuck" => |please_stop| please_stop.wait();
            passed.go();
            stuck.join().unwrap();
        };
        assert_eq!(moved_on.unwrap(), None);
    }

    #[test]
    fn a_move_on_after_scope_gives_some_of_its_value_in_time() {
        let in_time = scope! {
            #![move_on_after = Signal::never()]
            let quick = spawn "quick" => |_please_stop| 7_u8;
            quick.join().unwrap()
        };
        assert_eq!(in_time.unwrap(), Some(7));
    }

    /// `?` on a join that says the child was stopped by the deadline.
    fn joined_after_the_deadline(passed: &Signal) -> Result<u32, String> {
        let outcome = scope! {
            #![deadline = passed]
            let slow = spawn "slow" => until_stopped;
            passed.go();
            slow.join().map_err(|error| error.to_string())?
        };
        Ok(match outcome {
            Ok(value) => value,
            Err(error) if error.kind() == ThreadErrorKind::DeadlinePassed => 999,
            Err(error) => return Err(format!("not the deadline: {error:#}")),
        })
    }

    #[test]
    fn a_question_mark_taken_after_the_deadline_passed_gives_way_to_the_deadline() {
        assert_eq!(joined_after_the_deadline(&Signal::new()), Ok(999));
    }

    #[test]
    fn under_move_on_after_a_question_mark_taken_after_the_deadline_moves_on_with_none() {
        fn moved_on(passed: &Signal) -> Result<Option<u32>, ThreadError> {
            let outcome = scope! {
                #![move_on_after = passed]
                let slow = spawn "slow" => until_stopped;
                passed.go();
                slow.join()?
            }?;
            Ok(outcome)
        }
        assert_eq!(moved_on(&Signal::new()).unwrap(), None);
    }

    #[test]
    fn a_way_out_taken_before_anything_settled_the_scope_stands_once_every_child_ended() {
        fn leaves_early(stopped: &AtomicUsize) -> Result<u32, &'static str> {
            let _never_reached = scope! {
                #![deadline = Signal::never()]
                spawn "waiting" => |please_stop| {
                    please_stop.wait();
                    stopped.fetch_add(1, Ordering::SeqCst);
                };
                return Err("left early");
            };
            Ok(0)
        }
        let stopped = AtomicUsize::new(0);
        assert_eq!(leaves_early(&stopped), Err("left early"));
        assert_eq!(
            stopped.load(Ordering::SeqCst),
            1,
            "the child was stopped and had ended before the fn returned"
        );
    }

    #[test]
    fn an_unjoined_failure_is_the_err_of_a_policy_scope_not_a_panic() {
        let error = scope! {
            #![deadline = Signal::never()]
            spawn "doomed" => |_please_stop| Err::<(), _>("lost?");
        }
        .unwrap_err();
        assert_eq!(error.kind(), ThreadErrorKind::Failed, "{error:#}");
        assert!(error.path().ends_with("/doomed"), "{error}");
    }

    #[test]
    fn a_failure_before_a_way_out_is_the_policy_scopes_err_and_the_way_out_gives_way() {
        fn sibling_failed() -> Result<Result<u32, ThreadError>, ThreadError> {
            let outcome = scope! {
                #![deadline = Signal::never()]
                spawn "doomed" => |_please_stop| Err::<u32, _>("broken");
                let waiting = spawn "waiting" => until_stopped;
                waiting.join()? // stopped by its sibling's failure
            };
            Ok(outcome)
        }
        let error = sibling_failed()
            .expect("the `?` gave way: the fn went on")
            .unwrap_err();
        assert!(error.path().ends_with("/doomed"), "{error:#}");
    }

    #[test]
    fn first_success_is_the_value_of_the_first_racer_to_succeed_and_stops_the_others() {
        let reason = Lock::new(None);
        let fastest = scope! {
            #![first_success]
            spawn "slow" => |please_stop| {
                please_stop.wait();
                *reason.lock() = please_stop.reason();
                please_stop.check()?;
                Ok::<_, BoxError>("slow")
            };
            spawn "broken" => |_please_stop| Err::<&str, BoxError>("refused".into());
            spawn "fast" => |_please_stop| Ok::<_, BoxError>("fast");
        };
        assert_eq!(fastest.unwrap(), "fast");
        assert!(
            matches!(&*reason.lock(), Some(StopReason::SiblingSucceeded { sibling, .. }) if sibling.ends_with("/fast")),
            "slow was stopped for {:?}",
            reason.lock()
        );
    }

    #[test]
    fn first_success_fails_with_every_failure_when_no_racer_succeeds() {
        let error = scope! {
            #![first_success]
            for name in ["one", "two"] {
                spawn name => move |_please_stop| Err::<u8, BoxError>(format!("{name} failed").into());
            }
        }
        .unwrap_err();
        assert_eq!(error.kind(), ThreadErrorKind::Failed, "{error:#}");
        assert_eq!(error.later().len(), 1, "{error:#}");
    }

    #[test]
    fn quorum_is_the_first_n_values_in_the_order_they_came() {
        let needed = 2;
        let values = scope! {
            #![quorum = needed]
            let first = spawn "first" => |_please_stop| Ok::<_, BoxError>(1);
            first.join().unwrap(); // its value went to the race before it ended
            let second = spawn "second" => |_please_stop| Ok::<_, BoxError>(2);
            second.join().unwrap();
            spawn "third" => until_stopped;
        };
        assert_eq!(values.unwrap(), [1, 2]);
    }

    #[test]
    fn a_quorum_that_is_not_reached_fails_with_not_enough_successes() {
        let error = scope! {
            #![quorum = 2]
            spawn "only" => |_please_stop| Ok::<_, BoxError>(1);
        }
        .unwrap_err();
        assert_eq!(
            error.kind(),
            ThreadErrorKind::NotEnoughSuccesses,
            "{error:#}"
        );
    }

    #[test]
    fn a_race_whose_deadline_passes_before_a_success_fails_with_deadline_passed() {
        let passed = Signal::new();
        let error = scope! {
            #![first_success]
            #![deadline = &passed]
            spawn "slow" => until_stopped;
            passed.go();
        }
        .unwrap_err();
        assert_eq!(error.kind(), ThreadErrorKind::DeadlinePassed, "{error:#}");
    }

    #[test]
    fn a_race_that_moves_on_after_its_deadline_gives_none() {
        let passed = Signal::new();
        let moved_on = scope! {
            #![move_on_after = &passed]
            #![quorum = 1]
            spawn "slow" => until_stopped;
            passed.go();
        };
        assert_eq!(moved_on.unwrap(), None);
    }

    #[test]
    fn several_options_may_share_one_attribute() {
        let passed = Signal::new();
        let moved_on = scope! {
            #![quorum = 1, move_on_after = &passed]
            spawn "slow" => until_stopped;
            passed.go();
        };
        assert_eq!(moved_on.unwrap(), None);
    }

    #[test]
    fn a_released_racer_is_stopped_once_the_race_is_decided() {
        let winner = scope! {
            #![first_success]
            release spawn "forever" => until_stopped;
            spawn "winner" => |_please_stop| Ok::<_, BoxError>(7);
        };
        assert_eq!(winner.unwrap(), 7);
    }

    #[test]
    fn a_question_mark_on_a_racer_that_lost_gives_way_to_the_winner() {
        fn lost() -> Result<u32, ThreadError> {
            let winner = scope! {
                #![first_success]
                let loser = spawn "loser" => until_stopped;
                spawn "winner" => |_please_stop| Ok::<_, BoxError>(7);
                loser.join()?; // stopped: the winner decided the race
            }?;
            Ok(winner)
        }
        assert_eq!(lost().unwrap(), 7);
    }

    #[test]
    fn a_racers_failure_settles_nothing_so_a_way_out_after_it_stands() {
        fn left() -> Result<u32, &'static str> {
            let _never_reached = scope! {
                #![first_success]
                let broken = spawn "broken" => |_please_stop| Err::<u32, BoxError>("refused".into());
                broken.stopped().wait(); // ended, its failure unjoined
                return Err("left");
            };
            Ok(0)
        }
        assert_eq!(left(), Err("left"));
    }

    #[test]
    fn break_and_continue_in_a_policy_block_act_on_the_enclosing_loop() {
        let mut winners = Vec::new();
        'rounds: for round in 0..6_u32 {
            let winner = scope! {
                #![first_success]
                if round == 1 {
                    continue;
                }
                if round == 4 {
                    break 'rounds;
                }
                spawn format!("round-{round}") => move |_please_stop| Ok::<_, BoxError>(round * 10);
            };
            winners.push(winner.unwrap());
        }
        assert_eq!(winners, [0, 20, 30]);
    }

    macro_rules! none_if {
        ($condition:expr) => {
            if $condition {
                return None;
            }
        };
    }

    #[test]
    fn a_macros_hidden_return_in_a_policy_block_acts_on_the_enclosing_fn() {
        fn answer(give_up: bool) -> Option<u32> {
            let answer = scope! {
                #![deadline = Signal::never()]
                let answer = spawn "answer" => |_please_stop| 42_u32;
                none_if!(give_up);
                answer.join().unwrap()
            };
            answer.ok()
        }
        assert_eq!(answer(false), Some(42));
        assert_eq!(answer(true), None);
    }

    #[test]
    fn a_policy_scope_nested_in_a_plain_one_re_raises_its_return_through_both() {
        fn nested(leave: bool) -> Result<u32, ThreadError> {
            let total = scope! {
                let outer = spawn "outer" => |_please_stop| 1_u32;
                let inner = scope! {
                    #![quorum = 1]
                    if leave {
                        return Ok(100);
                    }
                    spawn "inner" => |_please_stop| Ok::<_, BoxError>(2_u32);
                }?;
                outer.join()? + inner[0]
            };
            Ok(total)
        }
        assert_eq!(nested(false).unwrap(), 3);
        assert_eq!(nested(true).unwrap(), 100);
    }
}
