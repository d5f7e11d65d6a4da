//! The profile of one thread, recorded as it runs: when it started and
//! ended, the CPU it used, and every wait on a Signal, a Lock, a Queue or a
//! join, by what it waited for. Off unless [`enable`]d: then each thread the
//! tree makes from that moment on gets a [`Profile`], and the primitives
//! record into the one lent to them (on their slow path only). The report
//! (`crate::profile`) reads them all from [`all`].

use crate::sync::Arc;
use crate::sync::real::{AtomicBool, Mutex, Ordering};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// How many waits a thread keeps for the timeline; beyond, they are only
/// counted in its totals (and the timeline says how many it left out).
const TIMELINE_WAITS: usize = 10_000;

static ENABLED: AtomicBool = AtomicBool::new(false);

/// Every profile made, in the order the threads were made.
static ALL: Mutex<Vec<Arc<Profile>>> = Mutex::new(Vec::new());

/// Profiles the threads the tree makes from now on.
pub(crate) fn enable() {
    ENABLED.store(true, Ordering::Relaxed);
}

/// Whether profiling is on: one relaxed load, all it costs when off.
#[inline]
pub(crate) fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// Every profile made so far.
pub(crate) fn all() -> Vec<Arc<Profile>> {
    ALL.lock().clone()
}

/// One thread's record.
pub(crate) struct Profile {
    pub(crate) name: Arc<str>,
    pub(crate) path: Arc<str>,
    pub(crate) started: Instant,
    state: Mutex<State>,
}

struct State {
    /// The OS's id of the thread, once it runs (for its CPU clock).
    os_id: Option<i32>,
    /// CPU time when it entered the tree, and when it left.
    cpu_at_start: Option<Duration>,
    cpu_at_end: Option<Duration>,
    ended: Option<Instant>,
    /// When it was asked to stop, and why.
    asked_to_stop: Option<(Instant, Arc<str>)>,
    waits: HashMap<Arc<str>, Waits>,
    timeline: Vec<Interval>,
    left_out: u64,
}

/// The waits on one thing, summed.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Waits {
    pub(crate) count: u64,
    pub(crate) total: Duration,
}

/// One wait, for the timeline.
#[derive(Debug, Clone)]
pub(crate) struct Interval {
    pub(crate) on: Arc<str>,
    pub(crate) from: Instant,
    pub(crate) to: Instant,
}

/// What a report reads of one profile, at one moment.
#[derive(Debug, Clone)]
pub(crate) struct Snapshot {
    pub(crate) cpu: Option<Duration>,
    pub(crate) ended: Option<Instant>,
    /// When it was asked to stop, and why.
    pub(crate) asked_to_stop: Option<(Instant, Arc<str>)>,
    pub(crate) waits: Vec<(Arc<str>, Waits)>,
    pub(crate) timeline: Vec<Interval>,
    pub(crate) left_out: u64,
}

impl Profile {
    /// A profile for a new thread, if profiling is on; kept in [`all`].
    pub(crate) fn start(name: &Arc<str>, path: &Arc<str>) -> Option<Arc<Profile>> {
        if !enabled() {
            return None;
        }
        let profile = Arc::new(Profile {
            name: name.clone(),
            path: path.clone(),
            started: Instant::now(),
            state: Mutex::new(State {
                os_id: None,
                cpu_at_start: None,
                cpu_at_end: None,
                ended: None,
                asked_to_stop: None,
                waits: HashMap::new(),
                timeline: Vec::new(),
                left_out: 0,
            }),
        });
        ALL.lock().push(profile.clone());
        Some(profile)
    }

    /// The thread runs now, on the calling thread: its CPU is counted from here.
    pub(crate) fn entered(&self) {
        let mut state = self.state.lock();
        state.os_id = os_thread_id();
        state.cpu_at_start = thread_cpu();
    }

    /// The thread is done, on the calling thread.
    pub(crate) fn ended(&self) {
        let cpu = thread_cpu();
        let mut state = self.state.lock();
        state.cpu_at_end = cpu;
        state.ended = Some(Instant::now());
    }

    /// The thread was asked to stop, now, because of `why`.
    pub(crate) fn asked_to_stop(&self, why: &str) {
        self.state.lock().asked_to_stop = Some((Instant::now(), why.into()));
    }

    /// One wait, on `on`, from `from` to now.
    pub(crate) fn waited(&self, on: &str, from: Instant) {
        let to = Instant::now();
        let mut state = self.state.lock();
        let waits = match state.waits.get_mut(on) {
            Some(waits) => waits,
            None => state.waits.entry(Arc::from(on)).or_default(),
        };
        waits.count += 1;
        waits.total += to.saturating_duration_since(from);
        if state.timeline.len() < TIMELINE_WAITS {
            let on = match state.waits.get_key_value(on) {
                Some((key, _)) => key.clone(),
                None => Arc::from(on),
            };
            state.timeline.push(Interval { on, from, to });
        } else {
            state.left_out += 1;
        }
    }

    /// Its CPU time so far, as [`snapshot`](Profile::snapshot) counts it,
    /// without copying its waits: what the console samples at each tick.
    pub(crate) fn cpu(&self) -> Option<Duration> {
        let state = self.state.lock();
        let now = match state.cpu_at_end {
            Some(end) => Some(end),
            None if state.ended.is_none() => state.os_id.and_then(cpu_of_running),
            None => None,
        };
        now.map(|now| now.saturating_sub(state.cpu_at_start.unwrap_or_default()))
    }

    /// What it has recorded so far. The CPU of a thread still running is
    /// read from the OS where it can be (Linux), else unknown.
    pub(crate) fn snapshot(&self) -> Snapshot {
        let state = self.state.lock();
        let cpu_now = match state.cpu_at_end {
            Some(end) => Some(end),
            None if state.ended.is_none() => state.os_id.and_then(cpu_of_running),
            None => None,
        };
        Snapshot {
            cpu: cpu_now.map(|now| now.saturating_sub(state.cpu_at_start.unwrap_or_default())),
            ended: state.ended,
            asked_to_stop: state.asked_to_stop.clone(),
            waits: state
                .waits
                .iter()
                .map(|(on, waits)| (on.clone(), *waits))
                .collect(),
            timeline: state.timeline.clone(),
            left_out: state.left_out,
        }
    }
}

/// The CPU time of the calling thread.
fn thread_cpu() -> Option<Duration> {
    #[cfg(all(unix, not(miri)))]
    {
        let time = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
        let seconds = u64::try_from(time.tv_sec).ok()?;
        let nanos = u32::try_from(time.tv_nsec).ok()?;
        Some(Duration::new(seconds, nanos))
    }
    #[cfg(not(all(unix, not(miri))))]
    None
}

/// The OS's id of the calling thread.
fn os_thread_id() -> Option<i32> {
    #[cfg(all(target_os = "linux", not(miri)))]
    return Some(rustix::thread::gettid().as_raw_nonzero().get());
    #[cfg(not(all(target_os = "linux", not(miri))))]
    None
}

/// The CPU time of another thread of this process, still running: the first
/// field of `/proc/self/task/<id>/schedstat`, in nanoseconds (Linux).
fn cpu_of_running(os_id: i32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/self/task/{os_id}/schedstat")).ok()?;
    let nanos: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}
