//! What a console snapshot carries beyond the threads' states: the named
//! queues (length, bound, who waits at each end), the child processes,
//! health, and, once a console is served, how long each wait has lasted
//! and each thread's last log lines.
//!
//! In-process, through `console::Sampler`: a snapshot is what a client
//! would read. Each test waits for states, never for time (deadlines from
//! one base instant). Only the last test serves a console, which turns on
//! the costs that wait for one (noting a wait's start, keeping log lines)
//! for the whole process: the others do not depend on it either way.

#![cfg(unix)]

use more_threads::console::{self, Sampler};
use more_threads::logging::Config;
use more_threads::{Lock, PriorityQueue, Process, Queue, Signal, Thread, Till, dump, health};
use serde_json::{Value, json};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Samples until `wanted` finds what it looks for (60 s from one base
/// instant, then fails with the last snapshot).
fn until<T>(wanted: impl Fn(&Value) -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut sampler = Sampler::new();
    loop {
        let snapshot: Value = serde_json::from_str(&sampler.sample()).unwrap();
        if let Some(found) = wanted(&snapshot) {
            return found;
        }
        assert!(
            Instant::now() < deadline,
            "never came; last snapshot:\n{snapshot:#}"
        );
        std::thread::yield_now();
    }
}

fn sample() -> Value {
    serde_json::from_str(&Sampler::new().sample()).unwrap()
}

/// The thread of the snapshot named `name` (its path ends `/name`).
fn thread<'a>(snapshot: &'a Value, name: &str) -> Option<&'a Value> {
    let suffix = format!("/{name}");
    snapshot["threads"].as_array()?.iter().find(|thread| {
        thread["path"]
            .as_str()
            .is_some_and(|path| path.ends_with(&suffix))
    })
}

/// The queues of the snapshot named `name`.
fn queues<'a>(snapshot: &'a Value, name: &str) -> Vec<&'a Value> {
    snapshot["queues"]
        .as_array()
        .map(|queues| {
            queues
                .iter()
                .filter(|queue| queue["name"] == name)
                .collect()
        })
        .unwrap_or_default()
}

/// The process of the snapshot whose pid is `pid`.
fn process(snapshot: &Value, pid: u32) -> Option<&Value> {
    snapshot["processes"]
        .as_array()?
        .iter()
        .find(|process| process["pid"] == pid)
}

/// Makes its Signal go when dropped: a failed assertion must not leave the
/// test waiting for a child blocked on it.
struct GoesWhenDropped(Signal);

impl Drop for GoesWhenDropped {
    fn drop(&mut self) {
        self.0.go();
    }
}

#[test]
fn named_queues_are_listed_with_their_figures_and_the_threads_blocked_at_each_end() {
    let jobs = Queue::bounded("snapshot-jobs", 1024);
    jobs.extend([1, 2, 3]).unwrap();
    // Two queues of one name: each listed, its waiters its own.
    let inbox = Queue::<u32>::new("snapshot-inbox");
    let idle_twin = Queue::<u32>::new("snapshot-inbox");
    let full = Queue::bounded("snapshot-full", 1);
    full.add(0).unwrap();
    let urgent = PriorityQueue::<u32>::bounded("snapshot-urgent", 8);
    let mut threads = Vec::new();
    for n in 0..2 {
        let inbox = inbox.clone();
        threads.push(
            Thread::run(format!("snapshot-popper-{n}"), move |_| {
                let _ = inbox.pop();
            })
            .unwrap(),
        );
    }
    {
        let full = full.clone();
        threads.push(
            Thread::run("snapshot-adder", move |_| {
                let _ = full.add(1);
            })
            .unwrap(),
        );
    }
    {
        let urgent = urgent.clone();
        threads.push(
            Thread::run("snapshot-urgent-popper", move |_| {
                let _ = urgent.pop();
            })
            .unwrap(),
        );
    }

    let snapshot = until(|snapshot| {
        let waiting = |name: &str, end: &str| {
            queues(snapshot, name)
                .iter()
                .map(|queue| queue[end].as_u64().unwrap_or(0))
                .max()
        };
        (waiting("snapshot-inbox", "poppers_blocked") == Some(2)
            && waiting("snapshot-full", "adders_blocked") == Some(1)
            && waiting("snapshot-urgent", "poppers_blocked") == Some(1))
        .then(|| snapshot.clone())
    });
    assert_eq!(
        queues(&snapshot, "snapshot-jobs"),
        [
            &json!({"name": "snapshot-jobs", "len": 3, "capacity": 1024, "closed": false,
                 "adders_blocked": 0, "poppers_blocked": 0})
        ],
        "{snapshot:#}"
    );
    let mut inboxes = queues(&snapshot, "snapshot-inbox");
    inboxes.sort_by_key(|queue| queue["poppers_blocked"].as_u64());
    assert_eq!(
        inboxes,
        [
            &json!({"name": "snapshot-inbox", "len": 0, "capacity": null, "closed": false,
                    "adders_blocked": 0, "poppers_blocked": 0}),
            &json!({"name": "snapshot-inbox", "len": 0, "capacity": null, "closed": false,
                    "adders_blocked": 0, "poppers_blocked": 2}),
        ],
        "{snapshot:#}"
    );
    assert_eq!(
        queues(&snapshot, "snapshot-full"),
        [
            &json!({"name": "snapshot-full", "len": 1, "capacity": 1, "closed": false,
                 "adders_blocked": 1, "poppers_blocked": 0})
        ],
        "{snapshot:#}"
    );
    assert_eq!(
        queues(&snapshot, "snapshot-urgent"),
        [
            &json!({"name": "snapshot-urgent", "len": 0, "capacity": 8, "closed": false,
                 "adders_blocked": 0, "poppers_blocked": 1})
        ],
        "{snapshot:#}"
    );
    // The thread says what it waits on, as the dump does.
    let popper = thread(&snapshot, "snapshot-popper-0").unwrap();
    assert_eq!(popper["blocked_on"], "Queue \"snapshot-inbox\"", "{popper}");

    for thread in threads {
        thread.stop();
        thread.join().unwrap();
    }
    full.close();
    drop((jobs, inbox, idle_twin, full, urgent));
    until(|snapshot| {
        let names = [
            "snapshot-jobs",
            "snapshot-inbox",
            "snapshot-full",
            "snapshot-urgent",
        ];
        names
            .iter()
            .all(|name| queues(snapshot, name).is_empty())
            .then_some(())
    });
}

#[test]
fn a_child_process_is_listed_while_it_runs_and_while_its_handle_is_held() {
    let mut command = Command::new("sleep");
    command.arg("30");
    let sleeper = Process::run("snapshot-sleeper", command).unwrap();
    let pid = sleeper.pid();
    let listed = until(|snapshot| process(snapshot, pid).cloned());
    assert_eq!(listed["command"], "sleep 30", "{listed}");
    assert_eq!(listed["state"], "running", "{listed}");
    assert_eq!(listed["path"], sleeper.path(), "{listed}");

    // Ended, and its handle still held: listed with how it ended.
    sleeper.stop();
    sleeper.stopped().wait();
    let ended = until(|snapshot| process(snapshot, pid).cloned());
    assert_eq!(ended["state"], "killed by SIGTERM", "{ended}");

    sleeper.join().unwrap();
    until(|snapshot| process(snapshot, pid).is_none().then_some(()));

    let quitter = Process::run("snapshot-quitter", Command::new("true")).unwrap();
    let pid = quitter.pid();
    quitter.stopped().wait();
    let ended = until(|snapshot| process(snapshot, pid).cloned());
    assert_eq!(ended["state"], "exited 0", "{ended}");
    quitter.join().unwrap();
    until(|snapshot| process(snapshot, pid).is_none().then_some(()));
}

#[test]
fn health_and_its_reasons_are_in_the_snapshot() {
    let never = Signal::named("snapshot-reply");
    let _released = GoesWhenDropped(never.clone());
    let stuck = {
        let never = never.clone();
        Thread::run("snapshot-stuck", move |_| {
            let _budget = health::budget(Duration::from_millis(1));
            never.wait();
        })
        .unwrap()
    };
    let mine = |snapshot: &Value| {
        snapshot["health"]["reasons"]
            .as_array()?
            .iter()
            .filter_map(Value::as_str)
            .find(|reason| reason.contains("/snapshot-stuck is stuck: "))
            .map(str::to_owned)
    };
    let (reason, snapshot) =
        until(|snapshot| mine(snapshot).map(|reason| (reason, snapshot.clone())));
    assert_eq!(snapshot["health"]["healthy"], false, "{snapshot:#}");
    assert!(
        reason.contains("blocked on Signal \"snapshot-reply\" for "),
        "{reason}"
    );
    // A budgeted wait notes its start, console or not.
    let waiting = thread(&snapshot, "snapshot-stuck").unwrap();
    assert!(waiting["blocked_ms"].is_u64(), "{waiting}");

    never.go();
    stuck.join().unwrap();
    until(|snapshot| mine(snapshot).is_none().then_some(()));
}

#[test]
fn once_a_console_is_served_waits_are_timed_and_threads_keep_their_last_log_lines() {
    Config::new()
        .filter("info")
        .to_writer(std::io::sink())
        .build()
        .unwrap()
        .install()
        .unwrap();
    // A thread that logs what it is handed, and says when it has.
    let say = Queue::<String>::new("snapshot-say");
    let said = Queue::<()>::new("snapshot-said");
    let speaker = {
        let (say, said) = (say.clone(), said.clone());
        Thread::run("snapshot-speaker", move |_| {
            for text in say.iter() {
                log::warn!("{text}");
                said.add(()).unwrap();
            }
        })
        .unwrap()
    };
    let speak = |text: &str| {
        say.add(text.to_owned()).unwrap();
        said.pop_till(&Till::seconds(60.0)).unwrap();
    };
    let speaker_once_blocked = || {
        until(|snapshot| {
            let speaker = thread(snapshot, "snapshot-speaker")?;
            (speaker["blocked_on"] == "Queue \"snapshot-say\"").then(|| speaker.clone())
        })
    };

    // No console yet: nothing kept, no wait timed.
    speak("before the console");
    let speaker_before = speaker_once_blocked();
    assert!(speaker_before.get("logs").is_none(), "{speaker_before}");
    assert_eq!(
        speaker_before["blocked_ms"],
        Value::Null,
        "{speaker_before}"
    );

    let directory = std::env::temp_dir().join(format!("console-snapshot-{}", std::process::id()));
    console::serve_in(&directory).unwrap();

    speak("retrying host 3");
    let speaker_after = speaker_once_blocked();
    assert_eq!(
        speaker_after["logs"],
        json!(["WARN retrying host 3"]),
        "{speaker_after}"
    );
    // The last three, each cut at about 200 bytes.
    for text in ["one", "two", &"x".repeat(500)] {
        speak(text);
    }
    let speaker_later = speaker_once_blocked();
    let logs = speaker_later["logs"].as_array().unwrap();
    assert_eq!(logs.len(), 3, "{speaker_later}");
    assert_eq!(
        logs[..2],
        [json!("WARN one"), json!("WARN two")],
        "{speaker_later}"
    );
    let long = logs[2].as_str().unwrap();
    assert!(
        long.starts_with("WARN xxx") && long.ends_with('…'),
        "{long}"
    );
    assert!(long.len() <= 210, "{}", long.len());

    // A Lock wait begun now is timed, and the time grows.
    let work = Arc::new(Lock::named("snapshot-work", ()));
    let held = Signal::new();
    let release = Signal::new();
    let _released = GoesWhenDropped(release.clone());
    let holder = {
        let (work, held, release) = (work.clone(), held.clone(), release.clone());
        Thread::run("snapshot-holder", move |_| {
            let _guard = work.lock();
            held.go();
            release.wait();
        })
        .unwrap()
    };
    held.wait();
    let waiter = {
        let work = work.clone();
        Thread::run("snapshot-waiter", move |_| drop(work.lock())).unwrap()
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while !dump().threads().any(|entry| {
        entry.path().ends_with("/snapshot-waiter")
            && entry
                .state()
                .starts_with("blocked on Lock \"snapshot-work\"")
    }) {
        assert!(
            Instant::now() < deadline,
            "the waiter never blocked:\n{}",
            dump()
        );
        std::thread::yield_now();
    }
    let blocked_ms = || {
        let snapshot = sample();
        let waiter = thread(&snapshot, "snapshot-waiter").unwrap().clone();
        assert!(
            waiter["holder"]
                .as_str()
                .unwrap()
                .ends_with("/snapshot-holder"),
            "{waiter}"
        );
        // It logged nothing: no field.
        assert!(waiter.get("logs").is_none(), "{waiter}");
        waiter["blocked_ms"].as_u64().unwrap()
    };
    let first = blocked_ms();
    Till::seconds(0.02).wait();
    let second = blocked_ms();
    assert!(second > first, "{first} ms, then {second} ms");

    release.go();
    holder.join().unwrap();
    waiter.join().unwrap();
    say.close();
    speaker.join().unwrap();
    let _ = std::fs::remove_dir_all(&directory);
}
