//! 10,000 live threads in one tree, on a small machine: spawn them, draw the
//! dump, stop the tree and join it, without an error. Not timed: it shows
//! that nothing in the runtime is quadratic or leaks at this size.

use more_threads::{Lock, Thread, ThreadError, Till, dump};
use std::sync::Arc;
use std::time::Instant;

const GROUPS: usize = 10;
const PER_GROUP: usize = 1_000;

#[test]
fn ten_thousand_threads_spawn_dump_stop_and_join_cleanly() {
    let started = Instant::now();
    let shared = Arc::new(Lock::named("shared", 0_u64));
    let groups: Vec<Thread<usize>> = (0..GROUPS)
        .map(|group| {
            let shared = shared.clone();
            Thread::builder(format!("group-{group}"))
                .stack_size(128 * 1024)
                .spawn(move |please_stop| {
                    let workers = (0..PER_GROUP)
                        .map(|index| {
                            let shared = shared.clone();
                            Thread::builder(format!("worker-{index}"))
                                .stack_size(64 * 1024)
                                .spawn(move |please_stop| match index % 3 {
                                    // Blocked on please_stop alone,
                                    0 => please_stop.wait(),
                                    // on please_stop or a Till, in a loop,
                                    1 => {
                                        while !please_stop.is_go() {
                                            (please_stop | Till::seconds(0.5)).wait();
                                        }
                                    }
                                    // or in a Lock's wait.
                                    _ => {
                                        let mut guard = shared.lock();
                                        while !please_stop.is_go() {
                                            guard.wait_till(please_stop);
                                        }
                                        *guard += 1;
                                    }
                                })
                        })
                        .collect::<Result<Vec<_>, ThreadError>>()?;
                    please_stop.wait();
                    let count = workers.len();
                    for worker in workers {
                        worker.join()?;
                    }
                    Ok::<_, ThreadError>(count)
                })
                .expect("a group thread starts")
        })
        .collect();
    let expected = GROUPS * PER_GROUP + GROUPS;
    let mut seen = 0;
    while seen < expected {
        seen = dump()
            .threads()
            .filter(|entry| entry.path().contains("/group-"))
            .count();
        Till::seconds(0.01).wait();
    }
    let picture = dump().to_string();
    assert!(picture.lines().count() > expected, "every thread drawn");
    eprintln!(
        "{seen} threads live after {:.2?}; dump of {} lines",
        started.elapsed(),
        picture.lines().count()
    );
    for group in &groups {
        group.stop();
    }
    let joined: usize = groups
        .into_iter()
        .map(|group| {
            group
                .join()
                .expect("a group and all its workers end cleanly")
        })
        .sum();
    assert_eq!(joined, GROUPS * PER_GROUP);
    let lock_waiters = GROUPS * (0..PER_GROUP).filter(|index| index % 3 == 2).count();
    assert_eq!(
        *shared.lock(),
        lock_waiters as u64,
        "every Lock waiter woke and left"
    );
    eprintln!("stopped and joined in {:.2?} in all", started.elapsed());
}
