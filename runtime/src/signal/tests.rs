use crate::signal::Signal;
use crate::test_support as test_log;
use crate::till::Till;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// A safety net against hangs: long enough never to fire on a working build.
fn patience() -> Signal {
    Till::seconds(30.0)
}

#[test]
fn a_new_signal_has_not_gone() {
    let signal = Signal::new();
    assert!(!signal.is_go());
    assert!(!&signal, "`!signal` is true before go()");
    assert_eq!(signal.pending_callbacks(), 0);
}

#[test]
fn go_reports_true_to_exactly_one_of_many_racing_callers() {
    let signal = Signal::named("raced");
    let start = Arc::new(Barrier::new(8));
    let winners: usize = (0..8)
        .map(|_| {
            let (signal, start) = (signal.clone(), start.clone());
            thread::spawn(move || {
                start.wait();
                signal.go()
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|racer| usize::from(racer.join().unwrap()))
        .sum();
    assert_eq!(winners, 1, "exactly one go() call triggers the signal");
}

#[test]
fn clones_share_one_flag() {
    let signal = Signal::new();
    let clone = signal.clone();
    clone.go();
    assert!(
        signal.is_go(),
        "going through a clone is seen by the original"
    );
    assert!(signal.same_as(&clone));
}

#[test]
fn wait_returns_once_another_thread_goes() {
    let signal = Signal::named("started");
    let waiter = {
        let signal = signal.clone();
        thread::spawn(move || {
            signal.wait();
            signal.is_go()
        })
    };
    thread::sleep(Duration::from_millis(5));
    signal.go();
    assert!(waiter.join().unwrap(), "the waiter saw the signal gone");
}

#[test]
fn wait_returns_at_once_when_already_gone() {
    let signal = Signal::new();
    signal.go();
    signal.wait();
    assert!(
        signal.wait_till(&Signal::new()),
        "wait_till on a gone signal is true"
    );
}

#[test]
fn wait_till_gives_up_when_the_till_goes_first_and_leaves_no_callback() {
    let reply = Signal::named("reply");
    let till = Signal::named("give up");
    let giver = {
        let till = till.clone();
        thread::spawn(move || {
            thread::sleep(Duration::from_millis(5));
            till.go();
        })
    };
    assert!(
        !reply.wait_till(&till),
        "false: the till went, the signal did not"
    );
    giver.join().unwrap();
    assert_eq!(till.pending_callbacks(), 0);
}

#[test]
fn wait_till_returns_true_when_the_signal_goes_first_and_unregisters_from_the_till() {
    let reply = Signal::named("reply");
    let till = patience();
    let sender = {
        let reply = reply.clone();
        thread::spawn(move || {
            thread::sleep(Duration::from_millis(5));
            reply.go();
        })
    };
    assert!(reply.wait_till(&till));
    sender.join().unwrap();
    assert_eq!(
        till.pending_callbacks(),
        0,
        "the till keeps no callback of a finished wait"
    );
}

#[test]
fn then_runs_exactly_once_on_the_thread_that_calls_go() {
    let signal = Signal::named("then-once");
    let ran_on = Arc::new(Mutex::new(Vec::new()));
    {
        let ran_on = ran_on.clone();
        signal.then(move || {
            let name = thread::current().name().map(str::to_owned);
            ran_on.lock().unwrap().push(name);
        });
    }
    let goer = {
        let signal = signal.clone();
        thread::Builder::new()
            .name("the-goer".into())
            .spawn(move || {
                signal.go();
                signal.go();
            })
            .unwrap()
    };
    goer.join().unwrap();
    signal.go();
    assert_eq!(*ran_on.lock().unwrap(), vec![Some("the-goer".to_owned())]);
    assert_eq!(signal.pending_callbacks(), 0);
}

#[test]
fn then_on_a_gone_signal_runs_at_once_on_the_caller() {
    let signal = Signal::new();
    signal.go();
    let ran = Arc::new(AtomicUsize::new(0));
    let counter = ran.clone();
    signal.then(move || {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    assert_eq!(ran.load(Ordering::SeqCst), 1, "ran before then() returned");
}

#[test]
fn callbacks_run_in_registration_order() {
    let signal = Signal::new();
    let order = Arc::new(Mutex::new(Vec::new()));
    for index in 0..5 {
        let order = order.clone();
        signal.then(move || order.lock().unwrap().push(index));
    }
    signal.go();
    assert_eq!(*order.lock().unwrap(), vec![0, 1, 2, 3, 4]);
}

#[test]
fn a_panicking_callback_is_logged_and_the_others_still_run() {
    test_log::capture();
    let signal = Signal::named("panicky-callbacks");
    let ran = Arc::new(AtomicUsize::new(0));
    for index in 0..3 {
        let ran = ran.clone();
        signal.then(move || {
            if index == 1 {
                panic!("callback number one broke");
            }
            ran.fetch_add(1, Ordering::SeqCst);
        });
    }
    assert!(signal.go(), "go() itself does not panic");
    assert_eq!(ran.load(Ordering::SeqCst), 2, "callbacks 0 and 2 ran");
    let logged = test_log::records_mentioning("panicky-callbacks");
    assert_eq!(logged.len(), 1, "logged once: {logged:?}");
    assert!(
        logged[0].starts_with("ERROR more_threads::signal"),
        "{logged:?}"
    );
    assert!(
        logged[0].contains("callback number one broke"),
        "{logged:?}"
    );
}

#[test]
fn waiting_inside_a_callback_is_reported_instead_of_deadlocking() {
    test_log::capture();
    let signal = Signal::named("goes-first");
    let later = Signal::named("only-goes-later");
    {
        let later = later.clone();
        signal.then(move || later.wait());
    }
    let done = Signal::new();
    {
        let (signal, done) = (signal.clone(), done.clone());
        thread::spawn(move || {
            signal.go();
            done.go();
        });
    }
    assert!(
        done.wait_till(&patience()),
        "go() returned instead of hanging"
    );
    let logged = test_log::records_mentioning("only-goes-later");
    assert_eq!(logged.len(), 1, "{logged:?}");
    assert!(logged[0].contains("must not block"), "{logged:?}");
}

#[test]
fn waiting_inside_a_callback_on_a_gone_signal_is_fine() {
    let signal = Signal::new();
    let already = Signal::new();
    already.go();
    let ran = Arc::new(AtomicUsize::new(0));
    {
        let (already, ran) = (already.clone(), ran.clone());
        signal.then(move || {
            already.wait();
            ran.fetch_add(1, Ordering::SeqCst);
        });
    }
    signal.go();
    assert_eq!(ran.load(Ordering::SeqCst), 1);
}

#[test]
fn or_goes_when_either_input_goes() {
    for which in 0..2 {
        let (a, b) = (Signal::named("a"), Signal::named("b"));
        let either = &a | &b;
        assert!(!either.is_go());
        [&a, &b][which].go();
        assert!(either.is_go(), "input {which} going makes `a | b` go");
    }
}

#[test]
fn and_goes_only_when_both_inputs_went() {
    let (a, b) = (Signal::named("a"), Signal::named("b"));
    let both = &a & &b;
    b.go();
    assert!(!both.is_go(), "one input is not enough");
    a.go();
    assert!(both.is_go());
}

#[test]
fn combining_with_a_gone_signal_short_circuits() {
    let (gone, waiting) = (Signal::new(), Signal::new());
    gone.go();
    assert!((&gone | &waiting).same_as(&gone), "`gone | x` is `gone`");
    assert!((&waiting | &gone).same_as(&gone), "`x | gone` is `gone`");
    assert!((&gone & &waiting).same_as(&waiting), "`gone & x` is `x`");
    assert!((&waiting & &gone).same_as(&waiting), "`x & gone` is `x`");
    assert_eq!(waiting.pending_callbacks(), 0, "nothing registered");
}

#[test]
fn combinations_nest() {
    let (a, b, c) = (Signal::new(), Signal::new(), Signal::new());
    let any_then_all = (&a | &b) & &c;
    b.go();
    assert!(!any_then_all.is_go());
    c.go();
    assert!(any_then_all.is_go());
}

#[test]
fn dropping_a_combination_unregisters_it_from_its_inputs() {
    let (a, b) = (Signal::named("a"), Signal::named("b"));
    let either = &a | &b;
    let both = &a & &b;
    assert_eq!(a.pending_callbacks(), 2);
    drop(either);
    drop(both);
    assert_eq!(a.pending_callbacks(), 0);
    assert_eq!(b.pending_callbacks(), 0);
}

#[test]
fn a_combination_that_went_lets_go_of_its_other_inputs() {
    let (please_stop, till) = (Signal::named("please_stop"), Signal::named("till"));
    let either = &please_stop | &till;
    till.go();
    assert!(either.is_go());
    assert_eq!(
        please_stop.pending_callbacks(),
        0,
        "kept alive or not, a gone combination holds no callback on please_stop"
    );
}

#[test]
fn a_loop_over_please_stop_or_till_keeps_at_most_one_callback_pending() {
    let please_stop = Signal::named("please_stop");
    // Miri explores far fewer turns in the time CI gives it.
    let turns = if cfg!(miri) { 50 } else { 2_000 };
    for turn in 0..turns {
        let either = &please_stop | Till::seconds(0.000_01);
        assert!(please_stop.pending_callbacks() <= 1, "turn {turn}");
        either.wait();
    }
    assert_eq!(please_stop.pending_callbacks(), 0);
}

#[test]
fn many_waiters_on_one_combination_all_wake() {
    let (a, b) = (Signal::new(), Signal::new());
    let either = &a | &b;
    let waiters: Vec<_> = (0..8)
        .map(|_| {
            let either = either.clone();
            thread::spawn(move || either.wait_till(&crate::till::Till::seconds(60.0)))
        })
        .collect();
    b.go();
    for waiter in waiters {
        assert!(waiter.join().unwrap(), "a waiter was not woken by the go");
    }
}

#[test]
fn the_receiver_is_ready_in_select_once_the_signal_goes() {
    use crossbeam_channel::{never, select};
    let signal = Signal::named("select me");
    let ready = signal.receiver();
    let nothing = never::<u8>();
    select! {
        recv(ready) -> _ => panic!("ready before go()"),
        recv(nothing) -> _ => unreachable!(),
        default(Duration::from_millis(5)) => {}
    }
    let goer = {
        let signal = signal.clone();
        thread::spawn(move || signal.go())
    };
    let started = Instant::now();
    select! {
        recv(ready) -> message => assert!(message.is_err(), "ready by disconnection"),
        recv(nothing) -> _ => unreachable!(),
        default(Duration::from_secs(30)) => panic!("not ready 30 s after go()"),
    }
    goer.join().unwrap();
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[test]
fn receivers_made_and_dropped_in_a_loop_keep_nothing_on_the_signal() {
    let please_stop = Signal::named("selected on every turn");
    let turns = if cfg!(miri) { 100 } else { 100_000 };
    for _ in 0..turns {
        drop(please_stop.receiver());
    }
    assert!(
        please_stop.pending_callbacks() <= 1,
        "{} callbacks left on the Signal by {turns} dropped receivers",
        please_stop.pending_callbacks()
    );
    let kept = please_stop.receiver();
    please_stop.go();
    assert_eq!(
        kept.try_recv(),
        Err(crossbeam_channel::TryRecvError::Disconnected),
        "a receiver made after the others were dropped is still ready once the Signal goes"
    );
}

#[test]
fn every_receiver_of_a_signal_is_ready_once_it_goes_and_a_late_one_at_once() {
    use crossbeam_channel::TryRecvError;
    let signal = Signal::new();
    let (first, second) = (signal.receiver(), signal.receiver());
    assert_eq!(
        first.try_recv(),
        Err(TryRecvError::Empty),
        "not ready before go()"
    );
    drop(second);
    signal.go();
    assert_eq!(first.try_recv(), Err(TryRecvError::Disconnected));
    assert_eq!(
        signal.receiver().try_recv(),
        Err(TryRecvError::Disconnected),
        "a receiver of a gone Signal is ready at once"
    );
}

#[test]
fn the_receiver_of_a_till_nothing_else_waits_on_becomes_ready_on_time() {
    let till = Till::seconds(0.001);
    let ready = till.receiver();
    assert_eq!(
        ready.recv_timeout(Duration::from_secs(30)),
        Err(crossbeam_channel::RecvTimeoutError::Disconnected),
        "the receiver put the Till on the timer"
    );
}

#[test]
fn debug_and_display_show_name_and_state() {
    let signal = Signal::named("please_stop");
    assert_eq!(format!("{signal:?}"), r#"Signal("please_stop", waiting)"#);
    signal.go();
    assert_eq!(format!("{signal:?}"), r#"Signal("please_stop", gone)"#);
    assert_eq!(
        format!("{:?}", Signal::new()),
        r#"Signal("signal", waiting)"#
    );
    let (a, b) = (Signal::named("a"), Signal::named("b"));
    assert_eq!((&a & &b).to_string(), "(a & b)");
    assert_eq!(
        ((&a | &b) | Signal::named("c")).to_string(),
        "((a | b) | c)"
    );
    assert_eq!(Till::seconds(f64::INFINITY).to_string(), "till never");
}

#[test]
fn signals_can_be_shared_between_threads() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<Signal>();
}

#[test]
fn never_does_not_go_keeps_no_callback_and_drops_out_of_combinations() {
    let never = Signal::never();
    assert!(!never.go());
    assert!(!never.is_go());
    never.then(|| panic!("a callback on never must never run"));
    assert_eq!(
        never.pending_callbacks(),
        0,
        "nothing kept: it could never run"
    );
    let other = Signal::new();
    assert!((&other | &never).same_as(&other));
    assert!((&other & &never).same_as(&never));
    other.go();
    assert!(other.wait_till(&never), "other went: the wait ends at once");
}

#[test]
fn gone_has_gone_and_decides_an_or_at_once() {
    let gone = Signal::gone();
    assert!(gone.is_go());
    assert!((&Signal::new() | &gone).is_go());
    let other = Signal::new();
    assert!(
        (&other & &gone).same_as(&other),
        "a gone input drops out of &"
    );
}

#[test]
fn any_goes_with_the_first_of_many_and_all_with_the_last() {
    let inputs: Vec<Signal> = (0..5).map(|_| Signal::new()).collect();
    let any = Signal::any(&inputs);
    let all = Signal::all(&inputs);
    assert!(!any.is_go() && !all.is_go());
    inputs[3].go();
    assert!(any.is_go());
    assert!(!all.is_go());
    for input in &inputs {
        input.go();
    }
    assert!(all.is_go());
    for input in &inputs {
        assert_eq!(input.pending_callbacks(), 0, "both let go of their inputs");
    }
    assert!(Signal::any([]).same_as(&Signal::never()));
    assert!(Signal::all([]).is_go());
}

#[test]
fn dropping_a_many_input_combination_unregisters_it_from_every_input() {
    let inputs: Vec<Signal> = (0..4).map(|_| Signal::new()).collect();
    drop(Signal::all(&inputs));
    drop(Signal::any(&inputs));
    for input in &inputs {
        assert_eq!(input.pending_callbacks(), 0);
    }
}

#[test]
fn a_countdown_goes_once_after_exactly_its_count_of_gos_from_many_threads() {
    use super::Countdown;
    let countdown = Countdown::named("eight", 8);
    let made_it_go: usize = std::thread::scope(|scope| {
        let threads: Vec<_> = (0..8)
            .map(|_| scope.spawn(|| usize::from(countdown.go())))
            .collect();
        threads
            .into_iter()
            .map(|thread| thread.join().unwrap())
            .sum()
    });
    assert_eq!(made_it_go, 1, "exactly one go made it go");
    assert!(countdown.signal().is_go());
    assert_eq!(countdown.left(), 0);
    assert!(!countdown.go(), "more gos do nothing");
    assert_eq!(format!("{countdown:?}"), r#"Countdown("eight", 0 left)"#);
}
