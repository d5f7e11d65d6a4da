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
        crate = "renamed::threads";
        let answer = spawn "answer" => |_please_stop| 42_u8;
        answer.join().unwrap()
    };
    assert_eq!(value, 42);
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
