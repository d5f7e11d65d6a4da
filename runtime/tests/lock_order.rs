//! With the `lock-order` feature, a named Lock taken while holding another
//! records the order of the two names, and the first acquisition that
//! inverts an order seen before is logged once as an ERROR naming both
//! orders and where each was first taken, though no deadlock happened.
//!
//! The graph of orders is one per process and the tests run in parallel, so
//! each test names its Locks after itself and reads only the reports that
//! mention those names.

use more_threads::{Lock, Till};
use std::sync::{Arc, Barrier, Mutex};

const TARGET: &str = "more_threads::lock_order";

/// Every record logged in this binary, as `LEVEL target: message`.
static LOGGED: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct Keep;

impl log::Log for Keep {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        let line = format!("{} {}: {}", record.level(), record.target(), record.args());
        LOGGED.lock().unwrap().push(line);
    }

    fn flush(&self) {}
}

/// The lock-order reports that mention Lock `name` (by its quoted name),
/// after installing the capture if no test did yet.
fn reports_naming(name: &str) -> Vec<String> {
    capture();
    let quoted = format!("Lock {name:?}");
    LOGGED
        .lock()
        .unwrap()
        .iter()
        .filter(|line| line.contains(TARGET) && line.contains(&quoted))
        .cloned()
        .collect()
}

/// Installs the capture (once per binary); every test calls it first.
fn capture() {
    let _ = log::set_logger(&Keep);
    log::set_max_level(log::LevelFilter::Info);
}

/// `file:line:` of the line `offset` lines below the caller's.
#[track_caller]
fn line_below(offset: u32) -> String {
    let here = std::panic::Location::caller();
    format!("{}:{}:", here.file(), here.line() + offset)
}

#[test]
fn two_locks_taken_in_both_orders_on_one_thread_are_reported_though_nothing_deadlocked() {
    capture();
    let a = Lock::named("both-orders-a", ());
    let b = Lock::named("both-orders-b", ());
    {
        let _a = a.lock();
        let _b = b.lock();
    }
    assert!(
        reports_naming("both-orders-a").is_empty(),
        "one order alone is no inversion"
    );
    {
        let _b = b.lock();
        let _a = a.lock();
    }
    let reports = reports_naming("both-orders-a");
    assert_eq!(
        reports.len(),
        1,
        "one report of the inversion: {reports:#?}"
    );
    assert!(
        reports[0].starts_with("ERROR more_threads::lock_order: lock order inverted: "),
        "an ERROR on the lock_order target: {}",
        reports[0]
    );
}

#[test]
fn the_report_names_both_orders_and_where_each_lock_was_first_taken() {
    capture();
    let a = Lock::named("sites-a", ());
    let b = Lock::named("sites-b", ());
    let (a_first, b_first) = (line_below(1), line_below(2));
    let first_a = a.lock();
    let first_b = b.lock();
    drop((first_b, first_a));
    let (b_then, a_then) = (line_below(1), line_below(2));
    let then_b = b.lock();
    let then_a = a.lock();
    drop((then_a, then_b));

    let reports = reports_naming("sites-a");
    assert_eq!(reports.len(), 1, "{reports:#?}");
    let report = &reports[0];
    // Each site is `file:line:column`; the column is left out here.
    for (what, text) in [
        (
            "the inverting acquisition and its site",
            format!("inverted: Lock \"sites-a\" taken at {a_then}"),
        ),
        (
            "the Lock held then and where it was taken",
            format!("while holding Lock \"sites-b\" (taken at {b_then}"),
        ),
        (
            "the earlier order and its site",
            format!("but earlier Lock \"sites-b\" was taken at {b_first}"),
        ),
        (
            "the Lock held earlier and where it was taken",
            format!("while holding Lock \"sites-a\" (taken at {a_first}"),
        ),
    ] {
        assert!(
            report.contains(&text),
            "the report names {what} ({text}): {report}"
        );
    }
    let this_thread = std::thread::current();
    let thread = this_thread.name().expect("libtest names its threads");
    assert!(
        report.contains(&format!(" on thread {thread}")),
        "the report names the thread ({thread}): {report}"
    );
    assert!(
        report.ends_with("threads taking these Locks in these orders at the same time can."),
        "the report says what could happen: {report}"
    );
}

#[test]
fn the_same_inversion_repeated_a_hundred_times_is_reported_once() {
    capture();
    let a = Lock::named("repeated-a", 0);
    let b = Lock::named("repeated-b", 0);
    for _ in 0..100 {
        {
            let _a = a.lock();
            let _b = b.lock();
        }
        {
            let _b = b.lock();
            let _a = a.lock();
        }
    }
    let reports = reports_naming("repeated-a");
    assert_eq!(reports.len(), 1, "{reports:#?}");
}

#[test]
fn the_same_inversion_on_another_thread_is_not_reported_again() {
    capture();
    let a = Arc::new(Lock::named("other-thread-a", ()));
    let b = Arc::new(Lock::named("other-thread-b", ()));
    let in_order = |a: &Lock<()>, b: &Lock<()>| {
        let _a = a.lock();
        let _b = b.lock();
    };
    in_order(&a, &b);
    in_order(&b, &a);
    let (a2, b2) = (a.clone(), b.clone());
    std::thread::spawn(move || {
        in_order(&a2, &b2);
        in_order(&b2, &a2);
    })
    .join()
    .expect("the other thread");
    let reports = reports_naming("other-thread-a");
    assert_eq!(reports.len(), 1, "{reports:#?}");
}

#[test]
fn a_cycle_through_three_locks_is_reported_with_every_order_in_it() {
    capture();
    let a = Lock::named("cycle-a", ());
    let b = Lock::named("cycle-b", ());
    let c = Lock::named("cycle-c", ());
    for (first, second) in [(&a, &b), (&b, &c)] {
        let _first = first.lock();
        let _second = second.lock();
    }
    assert!(
        reports_naming("cycle-a").is_empty(),
        "a → b → c is an order"
    );
    {
        let _c = c.lock();
        let _a = a.lock();
    }
    let reports = reports_naming("cycle-a");
    assert_eq!(reports.len(), 1, "{reports:#?}");
    let report = &reports[0];
    let mut from = 0;
    for step in [
        "Lock \"cycle-a\" taken at",
        "while holding Lock \"cycle-c\"",
        "but earlier Lock \"cycle-b\" was taken at",
        "while holding Lock \"cycle-a\"",
        "and Lock \"cycle-c\" was taken at",
        "while holding Lock \"cycle-b\"",
    ] {
        match report[from..].find(step) {
            Some(found) => from += found + step.len(),
            None => panic!("the report says, in order, {step:?}: {report}"),
        }
    }
}

#[test]
fn a_consistent_order_on_eight_threads_reports_nothing() {
    capture();
    let outer = Arc::new(Lock::named("consistent-outer", 0_u64));
    let middle = Arc::new(Lock::named("consistent-middle", 0_u64));
    let inner = Arc::new(Lock::named("consistent-inner", 0_u64));
    let start = Arc::new(Barrier::new(8));
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let (outer, middle, inner, start) =
                (outer.clone(), middle.clone(), inner.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                for round in 0..1000 {
                    let mut outer = outer.lock();
                    *outer += 1;
                    if round % 2 == 0 {
                        *middle.lock() += 1;
                    }
                    *inner.lock() += 1;
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().expect("a thread taking the Locks in order");
    }
    assert_eq!(*inner.lock(), 8000, "every thread took every Lock");
    for name in ["consistent-outer", "consistent-middle", "consistent-inner"] {
        let reports = reports_naming(name);
        assert!(reports.is_empty(), "nothing inverted: {reports:#?}");
    }
}

#[test]
fn a_guard_dropped_out_of_order_leaves_the_later_lock_held() {
    capture();
    let a = Lock::named("out-of-order-a", ());
    let b = Lock::named("out-of-order-b", ());
    let c = Lock::named("out-of-order-c", ());
    let guard_a = a.lock();
    let guard_b = b.lock();
    drop(guard_a); // b is still held: c is taken after b, not after a
    let guard_c = c.lock();
    drop((guard_b, guard_c));
    assert!(reports_naming("out-of-order-b").is_empty());
    {
        let _c = c.lock();
        let _b = b.lock();
    }
    let reports = reports_naming("out-of-order-b");
    assert_eq!(
        reports.len(),
        1,
        "c taken while holding b earlier, so b while holding c inverts it: {reports:#?}"
    );
}

#[test]
fn a_lock_taken_back_by_wait_is_ordered_after_the_locks_still_held() {
    capture();
    let a = Lock::named("wait-back-a", ());
    let b = Lock::named("wait-back-b", ());
    let mut guard_a = a.lock();
    let guard_b = b.lock();
    let wait_at = line_below(1);
    guard_a.wait_till(&Till::seconds(0.001)); // a released, and taken back holding b
    drop((guard_b, guard_a));
    let reports = reports_naming("wait-back-a");
    assert_eq!(reports.len(), 1, "{reports:#?}");
    assert!(
        reports[0].contains(&format!("Lock \"wait-back-a\" taken at {wait_at}")),
        "the site is the wait() that took the Lock back: {}",
        reports[0]
    );
}

#[test]
fn a_wait_leaves_its_lock_held_once() {
    capture();
    let a = Lock::named("wait-once-a", ());
    let b = Lock::named("wait-once-b", ());
    {
        let mut guard_a = a.lock();
        guard_a.wait_till(&Till::seconds(0.001));
    }
    // Nothing is held now: had the wait left `a` on the stack, this
    // would order b after a, and the next block would invert it.
    drop(b.lock());
    {
        let _b = b.lock();
        let _a = a.lock();
    }
    let reports = reports_naming("wait-once-a");
    assert!(reports.is_empty(), "{reports:#?}");
}

#[test]
fn a_panic_while_holding_a_lock_leaves_it_held_by_nobody() {
    capture();
    let a = Lock::named("panic-a", ());
    let b = Lock::named("panic-b", ());
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _a = a.lock();
        panic!("a panic while holding panic-a");
    }));
    assert!(panicked.is_err());
    drop(b.lock());
    {
        let _b = b.lock();
        let _a = a.lock();
    }
    let reports = reports_naming("panic-a");
    assert!(reports.is_empty(), "{reports:#?}");
}

#[test]
fn unnamed_locks_are_not_checked() {
    capture();
    let named = Lock::named("beside-unnamed", ());
    let unnamed = Lock::new(());
    {
        let _named = named.lock();
        let _unnamed = unnamed.lock();
    }
    {
        let _unnamed = unnamed.lock();
        let _named = named.lock();
    }
    let reports = reports_naming("beside-unnamed");
    assert!(reports.is_empty(), "{reports:#?}");
}

#[test]
fn locks_that_share_a_name_are_not_ordered_among_themselves() {
    capture();
    let first = Lock::named("shared-name", ());
    let second = Lock::named("shared-name", ());
    {
        let _first = first.lock();
        let _second = second.lock();
    }
    {
        let _second = second.lock();
        let _first = first.lock();
    }
    let reports = reports_naming("shared-name");
    assert!(reports.is_empty(), "{reports:#?}");
}
