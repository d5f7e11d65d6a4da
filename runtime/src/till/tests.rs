use super::timer::scheduled_len;
use crate::signal::Signal;
use crate::test_support as test_log;
use crate::till::Till;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

#[test]
fn zero_negative_and_nan_seconds_are_already_gone() {
    for seconds in [0.0, -0.0, -1.0, f64::NEG_INFINITY, f64::NAN] {
        assert!(Till::seconds(seconds).is_go(), "Till::seconds({seconds})");
    }
    assert!(Till::after(Duration::ZERO).is_go());
}

#[test]
fn times_in_the_past_are_already_gone() {
    assert!(Till::at(Instant::now()).is_go());
    assert!(Till::at_system(SystemTime::UNIX_EPOCH).is_go());
    assert!(Till::at_system(SystemTime::now() - Duration::from_secs(1)).is_go());
}

#[test]
fn infinite_and_huge_times_never_go_and_never_overflow() {
    let far_system = SystemTime::now()
        .checked_add(Duration::from_secs(u64::MAX / 4))
        .unwrap_or_else(|| SystemTime::now() + Duration::from_secs(1 << 40));
    let tills = [
        Till::seconds(f64::INFINITY),
        Till::seconds(f64::MAX),
        Till::seconds(1e300),
        Till::after(Duration::MAX),
        Till::after(Duration::from_secs(u64::MAX)),
        Till::at_system(far_system),
    ];
    thread::sleep(Duration::from_millis(5));
    for (index, till) in tills.iter().enumerate() {
        assert!(!till.is_go(), "till {index} went on its own: {till:?}");
    }
}

#[test]
fn a_till_never_goes_before_its_time() {
    for millis in [1, 5, 20] {
        let started = Instant::now();
        Till::after(Duration::from_millis(millis)).wait();
        let waited = started.elapsed();
        assert!(
            waited >= Duration::from_millis(millis),
            "a {millis} ms till went after {waited:?}"
        );
    }
}

#[test]
fn at_and_at_system_go_at_their_time() {
    let started = Instant::now();
    Till::at(started + Duration::from_millis(3)).wait();
    assert!(started.elapsed() >= Duration::from_millis(3));
    let started = Instant::now();
    Till::at_system(SystemTime::now() + Duration::from_millis(3)).wait();
    assert!(
        started.elapsed() >= Duration::from_millis(2),
        "within clock rounding"
    );
}

#[test]
fn tills_go_in_deadline_order_whatever_order_they_were_made_in() {
    let order = Arc::new(Mutex::new(Vec::new()));
    // Every deadline from one base, far enough ahead that all the callbacks
    // are registered before the first goes, however loaded the machine.
    let base = Instant::now() + Duration::from_millis(300);
    let tills: Vec<Signal> = [40, 10, 30, 20]
        .into_iter()
        .map(|millis| {
            let till = Till::at(base + Duration::from_millis(millis));
            let order = order.clone();
            till.then(move || order.lock().unwrap().push(millis));
            till
        })
        .collect();
    for till in &tills {
        till.wait();
    }
    // wait() returns once the flag is set; the callback follows on the timer.
    let started = Instant::now();
    while order.lock().unwrap().len() < 4 && started.elapsed() < Duration::from_secs(30) {
        thread::yield_now();
    }
    assert_eq!(*order.lock().unwrap(), vec![10, 20, 30, 40]);
}

#[test]
fn an_earlier_till_wakes_a_timer_that_sleeps_for_a_later_one() {
    let _late = Till::seconds(60.0);
    thread::sleep(Duration::from_millis(2)); // let the timer fall asleep on it
    let started = Instant::now();
    Till::seconds(0.005).wait();
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "the 5 ms till waited for the 60 s one"
    );
}

#[test]
fn callbacks_on_a_till_run_on_the_named_timer_thread() {
    // A callback registered on a Till that had gone already runs here, on
    // the test's thread: retry with a longer delay until one is registered
    // in time (the first, unless the machine stalls for 50 ms).
    for delay in [0.05, 0.2, 1.0, 5.0] {
        let till = Till::seconds(delay);
        let ran_on = Arc::new(Mutex::new(None));
        {
            let ran_on = ran_on.clone();
            till.then(move || {
                *ran_on.lock().unwrap() = thread::current().name().map(str::to_owned)
            });
        }
        if ran_on.lock().unwrap().is_some() {
            continue; // it went before the callback was registered
        }
        till.wait();
        // The callback runs before go() returns on the timer thread, but
        // wait() can return as soon as the flag is set: wait for it too.
        let deadline = Instant::now() + Duration::from_secs(30);
        while ran_on.lock().unwrap().is_none() && Instant::now() < deadline {
            thread::yield_now();
        }
        assert_eq!(ran_on.lock().unwrap().as_deref(), Some("till-timer"));
        return;
    }
    panic!("every Till went before its callback could be registered");
}

static COUNTING_THE_SCHEDULE: Mutex<()> = Mutex::new(());

/// `till`, put on the timer, as the first wait on it would.
fn armed(till: Signal) -> Signal {
    till.arm();
    till
}

#[test]
fn a_till_nothing_waits_on_is_not_on_the_timer_and_still_goes_at_its_time() {
    let started = Instant::now();
    let soon = Till::after(Duration::from_millis(20));
    let unused: Vec<Signal> = (0..1000).map(|_| Till::seconds(3600.0)).collect();
    assert!(
        unused.iter().all(|till| !till.is_armed()),
        "made, not armed: the timer holds none"
    );
    // Polled, never waited on: it goes by the clock.
    while !soon.is_go() {
        std::hint::spin_loop();
    }
    assert!(
        started.elapsed() >= Duration::from_millis(20),
        "not before its time"
    );
    drop(unused);
}

#[test]
fn the_first_wait_combination_or_callback_arms_a_till() {
    // A wait on an unarmed Till ends on time: it armed it.
    assert!(!Signal::new().wait_till(&Till::seconds(0.001)));
    assert!(Till::seconds(0.001).wait_till(&Till::seconds(60.0)));
    // Counted per Till: other tests arm Tills of their own meanwhile.
    let combined_in = Till::seconds(3600.0);
    assert!(!combined_in.is_armed());
    let combined = &Signal::new() | &combined_in;
    assert!(combined_in.is_armed(), "combining armed it");
    let called = Till::seconds(3600.0);
    assert!(!called.is_armed());
    called.then(|| ());
    assert!(called.is_armed(), "a callback armed it");
    drop((combined_in, combined, called));
}

#[test]
fn a_callback_on_a_till_that_is_already_due_runs_at_once() {
    let till = Till::after(Duration::from_millis(1));
    std::thread::sleep(Duration::from_millis(5));
    let ran = Arc::new(AtomicUsize::new(0));
    let counter = ran.clone();
    till.then(move || {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    assert_eq!(
        ran.load(Ordering::SeqCst),
        1,
        "due when armed: it went there and then"
    );
}

#[test]
fn dropped_tills_do_not_accumulate_in_the_schedule() {
    let _alone = COUNTING_THE_SCHEDULE
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    for _ in 0..100_000 {
        drop(armed(Till::seconds(3600.0)));
    }
    let held = scheduled_len();
    assert!(
        held < 8 * 1024,
        "100,000 dropped tills left {held} entries in the schedule"
    );
}

#[test]
fn drops_that_race_a_sweep_are_swept_even_when_no_drop_follows() {
    use super::timer::tests_hook::{dropped, once_after_retain, sweep_now};
    let _alone = COUNTING_THE_SCHEDULE
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    sweep_now(); // start from a clean schedule and a zero count
    let mut tills: Vec<Signal> = (0..30_000).map(|_| armed(Till::seconds(3600.0))).collect();
    // 14,000 dead before the sweep: fewer than half, so no drop asks for one.
    tills.truncate(16_000);
    // 10,000 more die while the sweep runs, after it saw them alive: their
    // drops compare with the length from before it (30,000), so none asks.
    let dying: Vec<Signal> = tills.split_off(6_000);
    once_after_retain(move || drop(dying));
    sweep_now();
    // The sweep left 16,000 entries of which 10,000 are dead, and no drop is
    // left to ask for another: the sweep must have checked again itself.
    assert!(
        scheduled_len() < 8_000,
        "{} entries for {} live Tills, {} counted dead: the racing drops were never swept",
        scheduled_len(),
        tills.len(),
        dropped()
    );
}

#[test]
fn many_threads_waiting_on_many_tills_all_wake() {
    let waiters: Vec<_> = (0..16)
        .map(|index| {
            thread::spawn(move || {
                let give_up = Till::seconds(60.0);
                for turn in 0..20 {
                    let till = Till::after(Duration::from_micros(100 * ((index + turn) % 7 + 1)));
                    assert!(till.wait_till(&give_up), "a Till never went");
                }
            })
        })
        .collect();
    for waiter in waiters {
        waiter.join().unwrap();
    }
}

#[test]
fn a_till_describes_when_it_goes() {
    let till = Till::seconds(90.0);
    let shown = till.to_string();
    assert!(
        shown.starts_with("till in 89.") || shown == "till in 90.000s",
        "{shown}"
    );
    assert_eq!(Till::seconds(0.0).to_string(), "till due");
    assert!(format!("{till:?}").ends_with(", waiting)"));
}

#[test]
fn the_timer_sweeps_dropped_tills_without_waiting_for_new_ones() {
    let _alone = COUNTING_THE_SCHEDULE
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let pending: Vec<Signal> = (0..100_000).map(|_| armed(Till::seconds(3600.0))).collect();
    assert!(scheduled_len() >= 100_000);
    drop(pending);
    // No new Till is made here: the drops themselves wake the timer to sweep.
    crate::test_support::eventually("the dropped tills are swept", || scheduled_len() < 8 * 1024);
}

#[test]
fn a_till_armed_when_the_os_refuses_the_timer_thread_goes_at_once_and_the_next_tries_again() {
    use super::timer::tests_hook::refused_then_accepted;
    test_log::capture();
    let till = Till::seconds(3600.0);
    let (refused, accepted, started) = refused_then_accepted(&till);
    assert!(
        !refused,
        "not scheduled: the caller makes it go at once instead of a wait that never ends"
    );
    assert!(accepted, "the next Till armed starts the thread");
    assert!(started);
    assert!(
        !test_log::records_mentioning("the OS refused the timer thread").is_empty(),
        "the refusal is logged"
    );
}
