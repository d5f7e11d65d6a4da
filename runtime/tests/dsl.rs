//! The DSL end to end: `#[worker]`, `scope!` and `#[more_threads::test]`,
//! each behaviour one test.

use more_threads::prelude::*;
use more_threads::{ThreadErrorKind, scope};
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

#[test]
fn an_unjoined_failure_makes_a_result_scope_return_err() {
    let error = unjoined_failure().unwrap_err();
    assert_eq!(error.kind(), ThreadErrorKind::Failed);
    assert!(error.path().ends_with("/doomed"), "{error}");
    assert!(
        error.to_string().ends_with("/doomed failed: lost?"),
        "{error}"
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
    assert_eq!(result.unwrap_err().kind(), ThreadErrorKind::InvalidName);
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
