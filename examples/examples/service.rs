//! A service for systemd or Kubernetes: a few workers, `READY=1` once its
//! port is bound, and `health()` as a liveness endpoint.
//!
//! ```text
//! cargo run --example service -- [--port PORT] [--plant stuck|deadlock] [--slow-stop]
//! ```
//!
//! `GET /healthz` on 127.0.0.1:PORT (default: a free port, printed) answers
//! 200 and the verdict while [`more_threads::health()`] is good, 503 and
//! its reasons when not. Under systemd (`NOTIFY_SOCKET` set), Main also
//! pings the watchdog while the health is good, so a planted fault stops
//! the pings:
//!
//! * `--plant stuck`: a thread that declared a stuck budget of 300 ms waits
//!   for a reply that never comes;
//! * `--plant deadlock`: two threads each wait for the other's end, a cycle
//!   no wait of which can fail (a Lock–Lock cycle would be refused at
//!   once, as an error: see the Lock's deadlock check).
//!
//! Both planted threads still honour please_stop, so SIGTERM ends the
//! service cleanly. With `--slow-stop`, three `draining` threads take 0.6 s,
//! 1.2 s and 1.8 s to end once asked to stop: a shutdown that makes
//! progress, for which Main asks systemd for more time
//! (`EXTEND_TIMEOUT_USEC=`).

use more_threads::prelude::*;
use more_threads::{Main, health, main_thread};
use std::io::{BufRead, BufReader, ErrorKind, Write};
use std::net::{TcpListener, TcpStream};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        arguments
            .iter()
            .position(|argument| argument == flag)
            .and_then(|at| arguments.get(at + 1))
            .cloned()
    };
    let port: u16 = value("--port")
        .and_then(|port| port.parse().ok())
        .unwrap_or(0);
    let plant = value("--plant");
    let slow_stop = arguments.iter().any(|argument| argument == "--slow-stop");
    Main::new()
        .ready_on_start(false) // ready once the port is bound
        .shutdown_deadline(Duration::from_secs(5))
        .run(|please_stop| serve(port, plant.as_deref(), slow_stop, please_stop))
}

fn serve(
    port: u16,
    plant: Option<&str>,
    slow_stop: bool,
    please_stop: &Signal,
) -> Result<(), BoxError> {
    for n in 0..3 {
        Thread::run(&format!("worker-{n}"), work(n))?.release();
    }
    if slow_stop {
        for n in 1..=3 {
            Thread::run(&format!("draining-{n}"), move |please_stop| {
                please_stop.wait();
                Till::seconds(0.6 * f64::from(n)).wait(); // handing its work over
            })?
            .release();
        }
    }
    let listener = TcpListener::bind(("127.0.0.1", port))?;
    listener.set_nonblocking(true)?;
    println!("service: listening on {}", listener.local_addr()?);
    std::io::stdout().flush()?;
    main_thread::ready();
    match plant {
        Some("stuck") => plant_stuck()?,
        Some("deadlock") => plant_deadlock()?,
        Some(other) => return Err(format!("--plant {other}: say stuck or deadlock").into()),
        None => {}
    }
    while !please_stop.is_go() {
        match listener.accept() {
            Ok((stream, _)) => answer(stream)?,
            Err(error) if error.kind() == ErrorKind::WouldBlock => {
                (please_stop | Till::seconds(0.02)).wait();
            }
            Err(error) => return Err(error.into()),
        }
    }
    println!("service: stopped");
    Ok(())
}

/// A worker: a job every 100 ms, each wait well inside its budget.
#[worker]
fn work(n: u32) -> u64 {
    let _budget = health::budget(Duration::from_secs(5));
    let mut jobs = 0;
    while !please_stop.is_go() {
        (please_stop | Till::seconds(0.1)).wait();
        jobs += u64::from(n) + 1;
    }
    jobs
}

/// `GET /healthz`: 200 and the verdict while good, 503 when not.
fn answer(stream: TcpStream) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut request = String::new();
    BufReader::new(&stream).read_line(&mut request)?;
    let (status, body) = if request.starts_with("GET /healthz ") {
        let verdict = more_threads::health();
        let status = if verdict.is_good() {
            "200 OK"
        } else {
            "503 Service Unavailable"
        };
        (status, format!("{verdict}\n"))
    } else {
        ("404 Not Found", "try GET /healthz\n".to_owned())
    };
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 {status}\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// A thread whose budget is 300 ms, waiting for a reply that never comes.
fn plant_stuck() -> Result<(), ThreadError> {
    Thread::run("stuck", |please_stop| {
        let _budget = health::budget(Duration::from_millis(300));
        (Signal::named("a reply that never comes") | please_stop).wait();
    })?
    .release();
    Ok(())
}

/// Two threads, each waiting for the other's end: each is handed the
/// other's `stopped` through a Lock once both run.
fn plant_deadlock() -> Result<(), ThreadError> {
    let slots: [Arc<Lock<Option<Signal>>>; 2] = [Arc::default(), Arc::default()];
    let mut threads = Vec::new();
    for (n, slot) in slots.iter().enumerate() {
        let slot = slot.clone();
        threads.push(Thread::run(
            &format!("deadlocked-{n}"),
            move |please_stop| {
                let theirs = {
                    let mut slot = slot.lock();
                    while slot.is_none() {
                        slot.wait_till(please_stop);
                        if please_stop.is_go() {
                            return;
                        }
                    }
                    slot.take().unwrap_or_else(Signal::new)
                };
                theirs.wait_till(please_stop);
            },
        )?);
    }
    *slots[0].lock() = Some(threads[1].stopped().clone());
    *slots[1].lock() = Some(threads[0].stopped().clone());
    for thread in threads {
        thread.release();
    }
    Ok(())
}
