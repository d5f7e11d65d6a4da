//! The lines of the protocol (see [the module](super)): the hello, the
//! snapshots a [`Sampler`] takes, the commands a client sends and the
//! answers.

use crate::local::blocked::QueueSide;
use crate::observed::{PROCESSES, QUEUES};
use crate::sync::Arc;
use crate::thread::dump::{Entry, dump};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

/// The version of the protocol this runtime speaks, sent in the hello.
///
/// ```
/// assert_eq!(more_threads::console::PROTOCOL_VERSION, 1);
/// ```
pub const PROTOCOL_VERSION: u32 = 1;

/// Takes the console's snapshots: one [`dump`](crate::dump()) turned into
/// one line of JSON, with each thread's CPU share since the sampler's last
/// snapshot (when the program is [profiled](crate::profile)), and the live
/// queues, processes and [`health()`](crate::health()) (the
/// [module](super) lists the fields).
///
/// The server keeps one per client; it is public so that its cost can be
/// measured (`runtime/benches/console.rs`) and a program can log what a
/// client would see.
///
/// ```
/// use more_threads::console::Sampler;
///
/// let mut sampler = Sampler::new();
/// let line = sampler.sample();
/// assert!(line.starts_with(r#"{"type":"snapshot""#));
/// assert!(line.contains(r#""path":"main""#));
/// ```
#[derive(Debug, Default)]
pub struct Sampler {
    /// Each thread's CPU time at the last snapshot, by path, and when.
    previous: HashMap<String, Duration>,
    at: Option<Instant>,
}

impl Sampler {
    /// A sampler that has taken no snapshot yet: its first gives no CPU
    /// share (`cpu_percent` is `null`).
    ///
    /// ```
    /// let _sampler = more_threads::console::Sampler::new();
    /// ```
    pub fn new() -> Sampler {
        Sampler::default()
    }

    /// The live tree, now, as one line of JSON (no newline): a `snapshot`
    /// of the protocol.
    ///
    /// ```
    /// let mut sampler = more_threads::console::Sampler::new();
    /// let snapshot: &str = &sampler.sample();
    /// assert!(snapshot.contains(r#""deadlocks":[]"#));
    /// ```
    pub fn sample(&mut self) -> String {
        let snapshot = dump();
        let now = Instant::now();
        let elapsed = self.at.map(|at| now.saturating_duration_since(at));
        let mut cpus = HashMap::with_capacity(self.previous.len());
        // Who waits at which end of each queue, by the address of the
        // queue's name (its own `Arc`, held by the dump's entry, so that no
        // other queue can have it meanwhile): counted here, from the
        // threads' slots, so that a queue's adds and pops count nothing.
        let mut waits: HashMap<usize, Ends> = HashMap::new();
        // Written out directly, not built as a `serde_json::Value` first: a
        // tick of a thousand threads then costs little more than the dump
        // (runtime/benches/console.rs).
        let mut line = String::with_capacity(256 * (self.previous.len() + 1));
        line.push_str(r#"{"type":"snapshot","threads":["#);
        for (index, entry) in snapshot.threads().enumerate() {
            let cpu = entry.cpu();
            let percent = match (cpu, self.previous.get(entry.path()), elapsed) {
                (Some(cpu), Some(before), Some(elapsed)) if !elapsed.is_zero() => {
                    let used = cpu.saturating_sub(*before).as_secs_f64();
                    Some((used / elapsed.as_secs_f64() * 1000.0).round() / 10.0)
                }
                _ => None,
            };
            if let Some(cpu) = cpu {
                cpus.insert(entry.path().to_owned(), cpu);
            }
            if let Some((name, side)) = entry.queue() {
                waits.entry(address(name)).or_default().count(*side);
            }
            if index > 0 {
                line.push(',');
            }
            thread(&mut line, entry, cpu, percent, now);
        }
        line.push_str(r#"],"queues":["#);
        queues(&mut line, &waits);
        line.push_str(r#"],"processes":["#);
        processes(&mut line);
        line.push_str(r#"],"deadlocks":["#);
        for (index, cycle) in snapshot.deadlocks().enumerate() {
            if index > 0 {
                line.push(',');
            }
            string(&mut line, cycle);
        }
        line.push_str(r#"],"health":"#);
        health(&mut line);
        line.push('}');
        self.previous = cpus;
        self.at = Some(now);
        line
    }
}

/// How many threads wait at each end of one queue.
#[derive(Debug, Default, Clone, Copy)]
struct Ends {
    adders: usize,
    poppers: usize,
}

impl Ends {
    fn count(&mut self, side: QueueSide) {
        match side {
            QueueSide::Add => self.adders += 1,
            QueueSide::Pop => self.poppers += 1,
            // Neither adds nor pops: in the thread's `blocked_on` only.
            QueueSide::Drain => {}
        }
    }
}

/// What tells a queue from every other alive now: where its name is.
fn address(name: &Arc<str>) -> usize {
    Arc::as_ptr(name).cast::<u8>().addr()
}

/// One thread of a snapshot, as a JSON object.
fn thread(
    line: &mut String,
    entry: &Entry,
    cpu: Option<Duration>,
    cpu_percent: Option<f64>,
    now: Instant,
) {
    let (blocked_on, holder) = waits(entry.state());
    line.push_str(r#"{"path":"#);
    string(line, entry.path());
    line.push_str(r#","name":"#);
    string(line, entry.name());
    line.push_str(r#","state":"#);
    string(line, entry.state());
    line.push_str(r#","blocked_on":"#);
    optional(line, blocked_on);
    line.push_str(r#","blocked_ms":"#);
    match entry.blocked_since() {
        Some(since) => {
            let _ = write!(line, "{}", millis(now.saturating_duration_since(since)));
        }
        None => line.push_str("null"),
    }
    line.push_str(r#","holder":"#);
    optional(line, holder);
    let _ = write!(line, r#","age_ms":{}"#, millis(entry.age()));
    line.push_str(r#","cpu_ms":"#);
    match cpu {
        Some(cpu) => {
            let _ = write!(line, "{}", millis(cpu));
        }
        None => line.push_str("null"),
    }
    line.push_str(r#","cpu_percent":"#);
    match cpu_percent {
        Some(percent) if percent.is_finite() => {
            let _ = write!(line, "{percent:.1}");
        }
        _ => line.push_str("null"),
    }
    let _ = write!(line, r#","restarts":{}"#, entry.restarts());
    line.push_str(r#","stop_reason":"#);
    optional(
        line,
        entry.stop_reason().map(ToString::to_string).as_deref(),
    );
    line.push_str(r#","note":"#);
    optional(line, entry.note());
    let _ = write!(line, r#","in_deadlock":{}"#, entry.in_deadlock());
    // Only for a thread with lines: most have none, and a client takes the
    // field as optional.
    let mut first = true;
    entry.last_lines(|text| {
        line.push_str(if first { r#","logs":["# } else { "," });
        first = false;
        string(line, text);
    });
    if !first {
        line.push(']');
    }
    line.push('}');
}

/// Every live named queue (Queue and PriorityQueue), with who waits at
/// each end.
fn queues(line: &mut String, waits: &HashMap<usize, Ends>) {
    let live = QUEUES.live();
    for (index, queue) in live.iter().enumerate() {
        let figures = queue.figures();
        let ends = waits
            .get(&address(&figures.name))
            .copied()
            .unwrap_or_default();
        if index > 0 {
            line.push(',');
        }
        line.push_str(r#"{"name":"#);
        string(line, &figures.name);
        let _ = write!(line, r#","len":{},"capacity":"#, figures.len);
        match figures.capacity {
            Some(capacity) => {
                let _ = write!(line, "{capacity}");
            }
            None => line.push_str("null"),
        }
        let _ = write!(
            line,
            r#","closed":{},"adders_blocked":{},"poppers_blocked":{}}}"#,
            figures.closed, ends.adders, ends.poppers
        );
    }
    // The last handle on a queue may be this one: dropped here, after the
    // registry's lock, as `live` asks.
    drop(live);
}

/// Every child process started and still held (its handle, or its node).
fn processes(line: &mut String) {
    let mut first = true;
    for process in PROCESSES.live() {
        let Some(figures) = process.figures() else {
            continue;
        };
        if !first {
            line.push(',');
        }
        first = false;
        let _ = write!(line, r#"{{"pid":{},"command":"#, figures.pid);
        string(line, &figures.command);
        line.push_str(r#","path":"#);
        optional(line, figures.path.as_deref());
        line.push_str(r#","state":"#);
        string(line, &figures.state);
        line.push('}');
    }
}

/// The verdict of [`health()`](crate::health::health), and its reasons as
/// they are written.
fn health(line: &mut String) {
    let verdict = crate::health::health();
    let _ = write!(line, r#"{{"healthy":{},"reasons":["#, verdict.is_good());
    for (index, reason) in verdict.reasons().iter().enumerate() {
        if index > 0 {
            line.push(',');
        }
        string(line, &reason.to_string());
    }
    line.push_str("]}");
}

/// `text` as a JSON string, escaped as serde_json escapes it.
fn string(line: &mut String, text: &str) {
    match serde_json::to_string(text) {
        Ok(quoted) => line.push_str(&quoted),
        Err(_) => line.push_str("null"),
    }
}

fn optional(line: &mut String, text: Option<&str>) {
    match text {
        Some(text) => string(line, text),
        None => line.push_str("null"),
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// What a dump's state says a thread waits for, and who holds it:
/// `blocked on Lock "work", held by main/holder` is `Lock "work"` and
/// `main/holder` (`, which has ended` is left off the holder).
fn waits(state: &str) -> (Option<&str>, Option<&str>) {
    let Some(what) = state.strip_prefix("blocked on ") else {
        return (None, None);
    };
    match what.rsplit_once(", held by ") {
        Some((lock, holder)) => {
            let holder = holder.strip_suffix(", which has ended").unwrap_or(holder);
            (Some(lock), Some(holder))
        }
        None => (Some(what), None),
    }
}

/// The first line a client reads.
pub(crate) fn hello(interval: Duration) -> String {
    let program = std::env::args_os()
        .next()
        .map(std::path::PathBuf::from)
        .and_then(|path| {
            path.file_name()
                .map(|name| name.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "?".to_owned());
    json!({
        "type": "hello",
        "protocol": PROTOCOL_VERSION,
        "pid": std::process::id(),
        "program": program,
        "interval_ms": millis(interval),
    })
    .to_string()
}

/// A client's command, read from its line.
#[derive(Debug, PartialEq)]
pub(crate) enum Command {
    Dump,
    Stop { path: String },
    Profile,
    Timeline { file: String },
    Interval { every: Duration },
}

/// The shortest and the longest sampling interval a client may ask for.
pub(crate) const INTERVALS: (Duration, Duration) =
    (Duration::from_millis(10), Duration::from_secs(60));

impl Command {
    /// Reads one line; the error is the answer to send.
    pub(crate) fn read(line: &[u8]) -> Result<Command, String> {
        let value: Value = serde_json::from_slice(line)
            .map_err(|error| format!("a command is one JSON object a line: {error}"))?;
        let text = |field: &str| {
            value
                .get(field)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| format!("this command needs a string field `{field}`"))
        };
        match value.get("command").and_then(Value::as_str) {
            Some("dump") => Ok(Command::Dump),
            Some("stop") => Ok(Command::Stop {
                path: text("path")?,
            }),
            Some("profile") => Ok(Command::Profile),
            Some("timeline") => Ok(Command::Timeline {
                file: text("file")?,
            }),
            Some("interval") => {
                let (shortest, longest) = INTERVALS;
                let every = value
                    .get("ms")
                    .and_then(Value::as_u64)
                    .map(Duration::from_millis)
                    .filter(|every| (shortest..=longest).contains(every))
                    .ok_or_else(|| {
                        format!(
                            "this command needs a field `ms`, a whole number from {} to {}",
                            shortest.as_millis(),
                            longest.as_millis()
                        )
                    })?;
                Ok(Command::Interval { every })
            }
            Some(other) => Err(format!(
                "unknown command `{other}`: the commands are dump, stop, profile, timeline and interval"
            )),
            None => Err("a command is {\"command\": NAME, ...}".to_owned()),
        }
    }
}

/// An answer of `kind` whose field `field` is `value`.
pub(crate) fn answer(kind: &str, field: &str, value: &str) -> String {
    let mut object = serde_json::Map::new();
    object.insert("type".to_owned(), kind.into());
    object.insert(field.to_owned(), value.into());
    Value::Object(object).to_string()
}

/// The answer to a command that could not be done.
pub(crate) fn error(message: &str) -> String {
    answer("error", "message", message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_wait_names_the_lock_and_its_holder() {
        assert_eq!(
            waits(r#"blocked on Lock "work", held by main/holder"#),
            (Some(r#"Lock "work""#), Some("main/holder"))
        );
        assert_eq!(
            waits(r#"blocked on Lock "work", held by main/gone, which has ended"#),
            (Some(r#"Lock "work""#), Some("main/gone"))
        );
        assert_eq!(
            waits(r#"blocked on Signal "please_stop of main""#),
            (Some(r#"Signal "please_stop of main""#), None)
        );
        assert_eq!(waits("running"), (None, None));
    }

    #[test]
    fn commands_are_read_from_their_line_and_a_bad_one_is_answered() {
        assert_eq!(Command::read(br#"{"command":"dump"}"#), Ok(Command::Dump));
        assert_eq!(
            Command::read(br#"{"command":"stop","path":"main/a"}"#),
            Ok(Command::Stop {
                path: "main/a".to_owned()
            })
        );
        let missing = Command::read(br#"{"command":"stop"}"#).unwrap_err();
        assert!(missing.contains("`path`"), "{missing}");
        let unknown = Command::read(br#"{"command":"explode"}"#).unwrap_err();
        assert!(unknown.contains("unknown command `explode`"), "{unknown}");
        assert!(Command::read(b"not json").is_err());
        assert_eq!(
            Command::read(br#"{"command":"interval","ms":50}"#),
            Ok(Command::Interval {
                every: Duration::from_millis(50)
            })
        );
        for bad in [
            &br#"{"command":"interval","ms":9}"#[..],
            br#"{"command":"interval","ms":60001}"#,
            br#"{"command":"interval","ms":"50"}"#,
            br#"{"command":"interval"}"#,
        ] {
            let refused = Command::read(bad).unwrap_err();
            assert!(refused.contains("from 10 to 60000"), "{refused}");
        }
    }

    #[test]
    fn a_snapshot_is_json_with_every_field_of_a_thread() {
        let snapshot: Value = serde_json::from_str(&Sampler::new().sample()).unwrap();
        assert_eq!(snapshot["type"], "snapshot");
        let main = &snapshot["threads"][0];
        for field in [
            "path",
            "name",
            "state",
            "blocked_on",
            "blocked_ms",
            "holder",
            "age_ms",
            "cpu_ms",
            "cpu_percent",
            "restarts",
            "stop_reason",
            "note",
            "in_deadlock",
        ] {
            assert!(main.get(field).is_some(), "no field {field} in {main}");
        }
        assert_eq!(main["path"], "main");
        assert_eq!(snapshot["deadlocks"], json!([]));
        assert!(snapshot["queues"].is_array(), "{snapshot}");
        assert!(snapshot["processes"].is_array(), "{snapshot}");
        assert!(snapshot["health"]["healthy"].is_boolean(), "{snapshot}");
        assert!(snapshot["health"]["reasons"].is_array(), "{snapshot}");
    }

    #[test]
    fn a_queue_is_listed_with_its_figures_and_two_of_one_name_apart() {
        let jobs = crate::queue::Queue::bounded("protocol-test-jobs", 4);
        jobs.add(1).unwrap();
        let twin = crate::queue::Queue::<u8>::new("protocol-test-jobs");
        twin.close();
        let snapshot: Value = serde_json::from_str(&Sampler::new().sample()).unwrap();
        let mut listed: Vec<&Value> = snapshot["queues"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|queue| queue["name"] == "protocol-test-jobs")
            .collect();
        listed.sort_by_key(|queue| queue["len"].as_u64());
        assert_eq!(
            listed,
            [
                &json!({"name": "protocol-test-jobs", "len": 0, "capacity": null, "closed": true,
                        "adders_blocked": 0, "poppers_blocked": 0}),
                &json!({"name": "protocol-test-jobs", "len": 1, "capacity": 4, "closed": false,
                        "adders_blocked": 0, "poppers_blocked": 0}),
            ],
            "{snapshot}"
        );
        drop((jobs, twin));
        let snapshot = Sampler::new().sample();
        assert!(!snapshot.contains("protocol-test-jobs"), "{snapshot}");
    }

    #[test]
    fn the_hello_names_the_version_and_the_pid() {
        let hello: Value = serde_json::from_str(&hello(Duration::from_millis(250))).unwrap();
        assert_eq!(hello["type"], "hello");
        assert_eq!(hello["protocol"], PROTOCOL_VERSION);
        assert_eq!(hello["pid"], std::process::id());
        assert_eq!(hello["interval_ms"], 250);
    }
}
