//! `console::serve_in` without `Main`, and a client's own interval.

#![cfg(unix)]

use more_threads::console::{self, ServeError};
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::time::{Duration, Instant};

#[test]
fn a_console_served_late_answers_and_samples_at_the_interval_a_client_asks_for() {
    let directory = std::env::temp_dir().join(format!("console-serve-{}", std::process::id()));
    let socket = console::serve_in(&directory).unwrap();
    assert_eq!(
        socket,
        directory.join(format!("{}.sock", std::process::id()))
    );
    match console::serve() {
        Err(ServeError::AlreadyServing { socket: serving }) => assert_eq!(serving, socket),
        other => panic!("a second console was not refused: {other:?}"),
    }

    let stream = UnixStream::connect(&socket).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut lines = BufReader::new(stream).lines();
    let mut next = || -> Value { serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap() };
    assert_eq!(next()["type"], "hello");

    writer
        .write_all(b"{\"command\":\"interval\",\"ms\":9}\n")
        .unwrap();
    let refused = loop {
        let line = next();
        if line["type"] != "snapshot" {
            break line;
        }
    };
    assert_eq!(refused["type"], "error", "{refused}");

    writer
        .write_all(b"{\"command\":\"interval\",\"ms\":10}\n")
        .unwrap();
    let answer = loop {
        let line = next();
        if line["type"] != "snapshot" {
            break line;
        }
    };
    assert_eq!(answer, serde_json::json!({"type": "interval", "ms": 10}));
    // At 10 ms, a hundred snapshots come in seconds; at the default 250 ms
    // they would take 25 s. Counted, not timed: the bound is generous.
    let began = Instant::now();
    for _ in 0..100 {
        assert_eq!(next()["type"], "snapshot");
    }
    assert!(
        began.elapsed() < Duration::from_secs(20),
        "100 snapshots at 10 ms took {:?}",
        began.elapsed()
    );
    std::fs::remove_dir_all(&directory).unwrap();
}
