//! The `service` example under a stand-in for systemd: a datagram socket
//! bound at a temporary path, handed over as `NOTIFY_SOCKET` with
//! `WATCHDOG_USEC`, and every message read as it comes: READY=1, STATUS=,
//! the watchdog's pings at half its interval, the pings stopping once a
//! planted fault makes `health()` bad, STOPPING=1 at SIGTERM. Every wait is
//! for a message or a line, with deadlines from one base instant; only the
//! absence of pings is waited for over a time.

mod common;

use common::{Running, kill};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::net::UnixDatagram;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The watchdog's interval given to the service: it pings every half.
const WATCHDOG: Duration = Duration::from_millis(400);
const PING: Duration = Duration::from_millis(200);
/// How long any message may take on a loaded machine.
const PATIENCE: Duration = Duration::from_secs(60);

/// The stand-in for systemd's notify socket; removed when dropped.
struct Systemd {
    socket: UnixDatagram,
    path: PathBuf,
    base: Instant,
    /// Every message so far, with when it came.
    heard: Vec<(Instant, String)>,
}

impl Systemd {
    fn listen(test: &str) -> Systemd {
        let path = std::env::temp_dir().join(format!(
            "more-threads-notify-{}-{test}.sock",
            std::process::id()
        ));
        let _ = std::fs::remove_file(&path);
        let socket = UnixDatagram::bind(&path).expect("the notify socket binds");
        Systemd {
            socket,
            path,
            base: Instant::now(),
            heard: Vec::new(),
        }
    }

    /// The service, started with NOTIFY_SOCKET and WATCHDOG_USEC.
    fn start(&self, arguments: &[&str]) -> Running {
        let socket = self.path.to_str().expect("a temporary path is UTF-8");
        let usec = WATCHDOG.as_micros().to_string();
        Running::start_with(
            "service",
            arguments,
            &[("NOTIFY_SOCKET", socket), ("WATCHDOG_USEC", &usec)],
        )
    }

    /// The next message, if one comes before `until`.
    fn next(&mut self, until: Instant) -> Option<(Instant, String)> {
        let left = until.checked_duration_since(Instant::now())?;
        self.socket
            .set_read_timeout(Some(left.max(Duration::from_millis(1))))
            .unwrap();
        let mut buffer = [0; 4096];
        let length = self.socket.recv(&mut buffer).ok()?;
        let message = (
            Instant::now(),
            String::from_utf8_lossy(&buffer[..length]).into_owned(),
        );
        self.heard.push(message.clone());
        Some(message)
    }

    /// Reads messages until one holds `what`; fails after [`PATIENCE`]
    /// from the base instant, saying what it heard.
    fn until(&mut self, what: &str) -> (Instant, String) {
        let deadline = self.base + PATIENCE;
        loop {
            match self.next(deadline) {
                Some((at, message)) if message.lines().any(|line| line.starts_with(what)) => {
                    return (at, message);
                }
                Some(_) => {}
                None => panic!("no {what:?} in {PATIENCE:?}; heard {:#?}", self.heard),
            }
        }
    }
}

impl Drop for Systemd {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// `GET /healthz` from the service, once it printed its address: the
/// status line and the body.
fn healthz(service: &mut Running) -> (String, String) {
    service.wait_for("its address", |stdout, _| stdout.contains("listening on "));
    let address = service
        .stdout
        .lines()
        .find_map(|line| line.strip_prefix("service: listening on "))
        .expect("the address line")
        .to_owned();
    let mut stream = TcpStream::connect(address).expect("the service accepts");
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nhost: localhost\r\n\r\n")
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").expect("a head and a body");
    (
        head.lines().next().unwrap_or_default().to_owned(),
        body.to_owned(),
    )
}

/// SIGTERM: STOPPING=1, then a clean exit.
fn stop(mut systemd: Systemd, service: Running) {
    kill("TERM", service.id());
    systemd.until("STOPPING=1");
    let (status, stdout, stderr) = service.finish();
    assert!(status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("service: stopped"), "{stdout}");
}

#[test]
fn the_service_says_ready_and_its_status_and_pings_at_half_the_watchdog_interval() {
    let mut systemd = Systemd::listen("pings");
    let mut service = systemd.start(&[]);
    systemd.until("READY=1");
    systemd.until("STATUS=");
    let pings: Vec<Instant> = (0..4).map(|_| systemd.until("WATCHDOG=1").0).collect();
    for pair in pings.windows(2) {
        let gap = pair[1] - pair[0];
        assert!(
            gap >= PING / 2 && gap < WATCHDOG * 3,
            "pings {gap:?} apart, not about {PING:?}; heard {:#?}",
            systemd.heard
        );
    }
    let status = systemd
        .heard
        .iter()
        .find_map(|(_, message)| message.lines().find(|line| line.starts_with("STATUS=")))
        .unwrap()
        .to_owned();
    assert!(status.ends_with(" threads, good"), "{status}");
    let (line, body) = healthz(&mut service);
    assert!(line.contains(" 200 "), "{line}\n{body}");
    assert!(body.starts_with("good: "), "{body}");
    stop(systemd, service);
}

/// Plants `fault`; the pings stop within one interval of its showing (a
/// STATUS= naming it, `says`), and none comes for three more.
fn the_pings_stop_once(fault: &str, says: &str) {
    let mut systemd = Systemd::listen(fault);
    let mut service = systemd.start(&["--plant", fault]);
    systemd.until("READY=1");
    let (bad_at, message) = loop {
        let (at, message) = systemd.until("STATUS=");
        if message.contains(says) {
            break (at, message);
        }
    };
    assert!(!message.contains("WATCHDOG=1"), "{message}");
    let quiet_until = bad_at + PING * 3;
    while let Some((_, message)) = systemd.next(quiet_until) {
        assert!(
            !message.contains("WATCHDOG=1"),
            "a ping after the fault showed; heard {:#?}",
            systemd.heard
        );
    }
    let (line, body) = healthz(&mut service);
    assert!(line.contains(" 503 "), "{line}\n{body}");
    assert!(body.contains(says), "{body}");
    stop(systemd, service);
}

#[test]
fn a_stuck_thread_stops_the_pings_and_fails_the_liveness_probe() {
    the_pings_stop_once("stuck", "main/stuck is stuck: blocked on Signal");
}

#[test]
fn a_deadlock_stops_the_pings_and_fails_the_liveness_probe() {
    the_pings_stop_once("deadlock", "main/deadlocked-0 is in a deadlock");
}

#[test]
fn a_shutdown_that_makes_progress_asks_for_more_time_within_its_deadline() {
    let mut systemd = Systemd::listen("slow-stop");
    let service = systemd.start(&["--slow-stop"]);
    systemd.until("READY=1");
    kill("TERM", service.id());
    systemd.until("STOPPING=1");
    let (_, message) = systemd.until("EXTEND_TIMEOUT_USEC=");
    let usec: u64 = message
        .lines()
        .find_map(|line| line.strip_prefix("EXTEND_TIMEOUT_USEC="))
        .and_then(|usec| usec.parse().ok())
        .expect("a number of microseconds");
    // Two seconds more, within the example's 5 s shutdown deadline.
    assert!(usec > 0 && usec <= 2_000_000, "{message}");
    let (status, stdout, stderr) = service.finish();
    assert!(status.success(), "{stdout}\n{stderr}");
}
