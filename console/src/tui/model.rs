//! A snapshot of the protocol, parsed into what the view shows.
//!
//! Parsing is tolerant: a field that is absent or of another type reads as
//! "not known" (`None`, an empty list, `false`), never as an error, so that a
//! runtime that adds fields (protocol 1 may grow `queues`, `processes`,
//! `health`, a thread's `blocked_ms` and `logs`) or lacks them is shown as
//! far as it goes. Nothing is invented: what the snapshot does not say is
//! shown as blank.

use serde_json::Value;

/// A thread blocked for longer than this is shown as stuck.
pub(crate) const STUCK_AFTER_MS: u64 = 10_000;

/// One `snapshot` line.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Snapshot {
    /// In the snapshot's order (the dump's: a parent before its children).
    pub(crate) threads: Vec<Thread>,
    /// How many cycles of waits the snapshot lists.
    pub(crate) deadlocks: usize,
    /// `None`: the snapshot has no `queues` field (an older runtime).
    pub(crate) queues: Option<Vec<Queue>>,
    /// `None`: the snapshot has no `processes` field.
    pub(crate) processes: Option<Vec<Process>>,
    /// `None`: the snapshot has no `health` field.
    pub(crate) health: Option<Health>,
}

/// One thread of a snapshot.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Thread {
    pub(crate) path: String,
    pub(crate) name: String,
    pub(crate) state: String,
    pub(crate) blocked_on: Option<String>,
    pub(crate) holder: Option<String>,
    pub(crate) age_ms: Option<u64>,
    pub(crate) cpu_percent: Option<f64>,
    pub(crate) blocked_ms: Option<u64>,
    pub(crate) restarts: u64,
    pub(crate) stop_reason: Option<String>,
    pub(crate) note: Option<String>,
    pub(crate) in_deadlock: bool,
    /// `None`: the snapshot carries no `logs` for it.
    pub(crate) logs: Option<Vec<String>>,
}

/// One named Queue.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Queue {
    pub(crate) name: String,
    pub(crate) len: Option<u64>,
    /// `None`: unbounded (or not said).
    pub(crate) capacity: Option<u64>,
    pub(crate) closed: bool,
    pub(crate) adders_blocked: Option<u64>,
    pub(crate) poppers_blocked: Option<u64>,
}

/// One child process.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Process {
    pub(crate) pid: Option<u64>,
    pub(crate) command: String,
    /// The thread that owns it, if one does.
    pub(crate) path: Option<String>,
    pub(crate) state: String,
}

/// The program's health verdict.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Health {
    pub(crate) healthy: bool,
    pub(crate) reasons: Vec<String>,
}

fn text(value: &Value) -> Option<String> {
    value.as_str().map(str::to_owned)
}

fn list<T>(value: &Value, each: impl Fn(&Value) -> Option<T>) -> Option<Vec<T>> {
    value
        .as_array()
        .map(|items| items.iter().filter_map(each).collect())
}

impl Snapshot {
    /// The snapshot a `snapshot` line holds.
    pub(crate) fn from_json(value: &Value) -> Snapshot {
        Snapshot {
            threads: list(&value["threads"], Thread::from_json).unwrap_or_default(),
            deadlocks: value["deadlocks"].as_array().map_or(0, Vec::len),
            queues: list(&value["queues"], Queue::from_json),
            processes: list(&value["processes"], Process::from_json),
            health: Health::from_json(&value["health"]),
        }
    }

    pub(crate) fn thread(&self, path: &str) -> Option<&Thread> {
        self.threads.iter().find(|thread| thread.path == path)
    }

    /// The health reasons that name `path`.
    pub(crate) fn reasons_naming<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a str> {
        self.health
            .iter()
            .flat_map(|health| health.reasons.iter())
            .filter(move |reason| names_path(reason, path))
            .map(String::as_str)
    }

    /// Whether `thread` is stuck: a health reason names it, or it has been
    /// blocked for longer than [`STUCK_AFTER_MS`].
    pub(crate) fn is_stuck(&self, thread: &Thread) -> bool {
        thread.blocked_ms.is_some_and(|ms| ms > STUCK_AFTER_MS)
            || self.reasons_naming(&thread.path).next().is_some()
    }
}

impl Thread {
    fn from_json(value: &Value) -> Option<Thread> {
        let path = text(&value["path"])?;
        let name = text(&value["name"])
            .unwrap_or_else(|| path.rsplit('/').next().unwrap_or(&path).to_owned());
        Some(Thread {
            name,
            state: text(&value["state"]).unwrap_or_default(),
            blocked_on: text(&value["blocked_on"]),
            holder: text(&value["holder"]),
            age_ms: value["age_ms"].as_u64(),
            cpu_percent: value["cpu_percent"].as_f64(),
            blocked_ms: value["blocked_ms"].as_u64(),
            restarts: value["restarts"].as_u64().unwrap_or(0),
            stop_reason: text(&value["stop_reason"]),
            note: text(&value["note"]),
            in_deadlock: value["in_deadlock"].as_bool().unwrap_or(false),
            logs: list(&value["logs"], log_line),
            path,
        })
    }

    /// The path of its parent: its own less the last `/segment`.
    pub(crate) fn parent_path(&self) -> Option<&str> {
        self.path.rsplit_once('/').map(|(parent, _)| parent)
    }
}

/// A log line as the snapshot gives it: a string, or an object whose
/// `message` (or `text`) is shown after its `level`, or else the object's
/// JSON.
fn log_line(value: &Value) -> Option<String> {
    if let Some(line) = value.as_str() {
        return Some(line.to_owned());
    }
    let message = value["message"].as_str().or(value["text"].as_str());
    match (value["level"].as_str(), message) {
        (Some(level), Some(message)) => Some(format!("{level} {message}")),
        (None, Some(message)) => Some(message.to_owned()),
        _ => Some(value.to_string()),
    }
}

impl Queue {
    fn from_json(value: &Value) -> Option<Queue> {
        Some(Queue {
            name: text(&value["name"])?,
            len: value["len"].as_u64(),
            capacity: value["capacity"].as_u64(),
            closed: value["closed"].as_bool().unwrap_or(false),
            adders_blocked: value["adders_blocked"].as_u64(),
            poppers_blocked: value["poppers_blocked"].as_u64(),
        })
    }
}

impl Process {
    fn from_json(value: &Value) -> Option<Process> {
        if !value.is_object() {
            return None;
        }
        Some(Process {
            pid: value["pid"].as_u64(),
            command: text(&value["command"]).unwrap_or_default(),
            path: text(&value["path"]),
            state: text(&value["state"]).unwrap_or_default(),
        })
    }
}

impl Health {
    fn from_json(value: &Value) -> Option<Health> {
        let reasons: Vec<String> = list(&value["reasons"], text).unwrap_or_default();
        let healthy = value["healthy"].as_bool().unwrap_or(reasons.is_empty());
        value.is_object().then_some(Health { healthy, reasons })
    }
}

/// Whether `reason` names the thread at `path` (not merely a path that
/// starts with it: `main/x` is not named by `main/xy` nor by `main/x/y`).
fn names_path(reason: &str, path: &str) -> bool {
    let in_path = |c: char| c.is_alphanumeric() || matches!(c, '/' | '-' | '_');
    reason.match_indices(path).any(|(at, _)| {
        let before = reason[..at].chars().next_back();
        let after = reason[at + path.len()..].chars().next();
        !before.is_some_and(in_path) && !after.is_some_and(in_path)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_snapshot_of_protocol_1_without_the_new_fields_parses() {
        let snapshot = Snapshot::from_json(&json!({
            "type": "snapshot",
            "threads": [
                {"path": "main", "name": "main", "state": "running", "blocked_on": null,
                 "holder": null, "age_ms": 1200, "cpu_ms": null, "cpu_percent": null,
                 "restarts": 0, "stop_reason": null, "note": null, "in_deadlock": false},
                {"path": "main/waiter", "name": "waiter",
                 "state": "blocked on Lock \"work\", held by main/holder",
                 "blocked_on": "Lock \"work\"", "holder": "main/holder", "age_ms": 900,
                 "cpu_percent": 12.5, "restarts": 2, "in_deadlock": true}
            ],
            "deadlocks": ["main/waiter -> main/holder"]
        }));
        assert_eq!(snapshot.threads.len(), 2);
        assert_eq!(snapshot.deadlocks, 1);
        assert_eq!(snapshot.queues, None, "no queues field: not known");
        assert_eq!(snapshot.processes, None);
        assert_eq!(snapshot.health, None);
        let waiter = &snapshot.threads[1];
        assert_eq!(waiter.holder.as_deref(), Some("main/holder"));
        assert_eq!(waiter.cpu_percent, Some(12.5));
        assert_eq!(waiter.blocked_ms, None);
        assert_eq!(waiter.logs, None, "no logs field: none shown");
        assert_eq!(waiter.restarts, 2);
        assert!(waiter.in_deadlock);
        assert_eq!(waiter.parent_path(), Some("main"));
        assert_eq!(snapshot.threads[0].parent_path(), None);
    }

    #[test]
    fn missing_or_mistyped_fields_read_as_not_known() {
        let snapshot = Snapshot::from_json(&json!({
            "threads": [{"path": "main/a/b"}, {"name": "no path: skipped"}, 3],
            "deadlocks": "not a list",
            "queues": [{"name": "jobs", "len": 3, "capacity": null, "closed": true,
                        "adders_blocked": 0, "poppers_blocked": 2, "future": 1}, {"len": 1}],
            "processes": [{"pid": 123, "command": "sleep 10", "path": null, "state": "running"}],
            "health": {"healthy": false, "reasons": ["main/a/b is stuck", 7]}
        }));
        let thread = &snapshot.threads[0];
        assert_eq!(
            snapshot.threads.len(),
            1,
            "entries without a path are skipped"
        );
        assert_eq!(thread.name, "b", "the name defaults to the last segment");
        assert_eq!((thread.age_ms, thread.restarts), (None, 0));
        assert_eq!(snapshot.deadlocks, 0);
        let queues = snapshot.queues.unwrap_or_default();
        assert_eq!(queues.len(), 1, "a queue without a name is skipped");
        assert_eq!(queues[0].capacity, None, "null capacity: unbounded");
        assert!(queues[0].closed);
        assert_eq!(queues[0].poppers_blocked, Some(2));
        let processes = snapshot.processes.unwrap_or_default();
        assert_eq!(processes[0].pid, Some(123));
        assert_eq!(processes[0].path, None);
        let health = snapshot.health.unwrap_or_default();
        assert!(!health.healthy);
        assert_eq!(health.reasons, ["main/a/b is stuck"]);
    }

    #[test]
    fn log_lines_are_strings_or_objects_with_a_message() {
        let snapshot = Snapshot::from_json(&json!({"threads": [{"path": "main", "logs": [
            "plain", {"level": "WARN", "message": "slow"}, {"text": "t"}, {"other": 1}
        ]}]}));
        assert_eq!(
            snapshot.threads[0].logs.as_deref(),
            Some(&["plain", "WARN slow", "t", r#"{"other":1}"#].map(String::from)[..])
        );
    }

    #[test]
    fn a_thread_is_stuck_when_a_health_reason_names_it_or_it_is_blocked_past_10_s() {
        let snapshot = Snapshot::from_json(&json!({
            "threads": [
                {"path": "main/x", "blocked_ms": 500},
                {"path": "main/xy", "blocked_ms": 500},
                {"path": "main/x/y", "blocked_ms": 500},
                {"path": "main/long", "blocked_ms": 10_001},
                {"path": "main/ten", "blocked_ms": 10_000},
                {"path": "main/free", "blocked_ms": null}
            ],
            "health": {"healthy": false,
                       "reasons": ["main/x is stuck: blocked on Queue \"jobs\" for 12.0s"]}
        }));
        let stuck: Vec<&str> = snapshot
            .threads
            .iter()
            .filter(|thread| snapshot.is_stuck(thread))
            .map(|thread| thread.path.as_str())
            .collect();
        assert_eq!(stuck, ["main/x", "main/long"]);
    }

    #[test]
    fn a_path_is_named_only_as_a_whole() {
        assert!(names_path("main/x is stuck", "main/x"));
        assert!(names_path("cycle: main/a -> main/x.", "main/x"));
        assert!(names_path("\"main/x\"", "main/x"));
        assert!(!names_path("main/xy is stuck", "main/x"));
        assert!(!names_path("main/x/y is stuck", "main/x"));
        assert!(!names_path("amain/x", "main/x"));
    }
}
