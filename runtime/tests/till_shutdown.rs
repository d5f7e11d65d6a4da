//! `Till::go_all_pending` ends every Till of the process, so it gets a test
//! binary (a process) of its own.

use more_threads::{Signal, Till};
use std::thread;
use std::time::{Duration, Instant};

#[test]
fn going_all_pending_wakes_every_sleeper_and_later_tills_are_born_gone() {
    let started = Instant::now();
    let tills = [
        Till::seconds(3600.0),
        Till::after(Duration::from_secs(7200)),
        Till::seconds(f64::INFINITY),
        Till::after(Duration::MAX),
    ];
    let please_stop = Signal::named("please_stop");
    let sleepers: Vec<_> = tills
        .iter()
        .map(|till| {
            let either = &please_stop | till;
            thread::spawn(move || either.wait())
        })
        .collect();
    let dropped_before_shutdown = Till::seconds(3600.0);
    drop(dropped_before_shutdown);

    let went = Till::go_all_pending();

    assert_eq!(
        went,
        tills.len(),
        "every live pending till went, dropped ones are skipped"
    );
    for sleeper in sleepers {
        sleeper.join().expect("the sleeper woke");
    }
    assert!(tills.iter().all(Signal::is_go));
    assert!(
        !please_stop.is_go(),
        "only Tills go, not the Signals combined with them"
    );
    assert!(
        Till::seconds(3600.0).is_go(),
        "a till made after the shutdown is born gone"
    );
    assert!(Till::seconds(f64::INFINITY).is_go());
    assert_eq!(Till::go_all_pending(), 0, "nothing left the second time");
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "nobody slept through it"
    );
}
