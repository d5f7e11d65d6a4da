//! The one thread that makes every Till go on time.
//!
//! Deadlines wait in a binary heap of weak references, earliest first. The
//! timer thread sleeps on a condition variable until the earliest deadline
//! (the OS wakes it; nothing polls), makes every due Till go, and sleeps
//! again. A new Till earlier than every other wakes it to shorten its sleep.
//!
//! A dropped Till leaves a dead weak reference behind (which keeps the
//! Till's allocation). Rather than search the heap on every drop, drops of
//! pending Tills are counted, and the heap is swept of dead entries once they
//! are half of it, by the next `schedule` or by the timer thread, which the
//! drop that crosses the line wakes: amortised O(1) per Till, and memory
//! bounded by about twice the live Tills, whether or not new Tills follow.
//! Deadlines are kept as nanoseconds since one base instant, which makes an
//! entry 16 bytes instead of 24.
//!
//! The timer is not part of the loom models: it only calls `Signal::go`,
//! which is.

use super::Deadline;
use crate::signal::{Inner, Signal};
use crate::sync::Weak;
use crate::sync::real::{AtomicBool, AtomicUsize, OnceLock, Ordering as AtomicOrdering};
use crate::sync::real::{Condvar, Mutex};
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::time::{Duration, Instant};

/// The OS-visible name of the timer thread (at most 15 bytes, as Linux wants).
const THREAD_NAME: &str = "till-timer";

/// Sweep dead entries no more often than this, so small heaps never bother.
const MIN_SWEEP_LEN: usize = 1024;

/// Pending Tills dropped since the last sweep (an estimate: a Till dropped
/// while it goes is counted too, which at worst sweeps a little early).
static DROPPED: AtomicUsize = AtomicUsize::new(0);

/// The heap's length at the last change, for the drop path's cheap check.
static HEAP_LEN: AtomicUsize = AtomicUsize::new(0);

/// Whether a drop already woke the timer thread to sweep: one wake-up per
/// sweep, not one per drop.
static SWEEP_ASKED: AtomicBool = AtomicBool::new(false);

/// The instant deadlines are counted from.
fn base() -> Instant {
    static BASE: OnceLock<Instant> = OnceLock::new();
    *BASE.get_or_init(Instant::now)
}

static TIMER: Timer = Timer {
    schedule: Mutex::new(Schedule {
        heap: BinaryHeap::new(),
        forever: Vec::new(),
        sweep_heap_at: MIN_SWEEP_LEN,
        sweep_forever_at: MIN_SWEEP_LEN,
        thread_started: false,
        shut_down: false,
    }),
    wake: Condvar::new(),
};

struct Timer {
    schedule: Mutex<Schedule>,
    /// Wakes the timer thread when a new earliest deadline arrives.
    wake: Condvar,
}

struct Schedule {
    heap: BinaryHeap<Scheduled>,
    /// Tills that never go on their own, kept only for `go_all_pending`.
    forever: Vec<Weak<Inner>>,
    sweep_heap_at: usize,
    sweep_forever_at: usize,
    thread_started: bool,
    shut_down: bool,
}

struct Scheduled {
    /// Nanoseconds after [`base`]: 584 years of range in 8 bytes.
    at: u64,
    till: Weak<Inner>,
}

impl Scheduled {
    fn instant(&self) -> Instant {
        base() + Duration::from_nanos(self.at)
    }
}

/// `at` as nanoseconds after [`base`] (a deadline is never before it).
fn nanos_after_base(at: Instant) -> u64 {
    u64::try_from(at.saturating_duration_since(base()).as_nanos()).unwrap_or(u64::MAX)
}

// Ordered by deadline only, reversed: `BinaryHeap` is a max-heap and we want
// the earliest on top. Ties are harmless: both go in the same pass.
impl Ord for Scheduled {
    fn cmp(&self, other: &Self) -> Ordering {
        other.at.cmp(&self.at)
    }
}

impl PartialOrd for Scheduled {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Scheduled {
    fn eq(&self, other: &Self) -> bool {
        self.at == other.at
    }
}

impl Eq for Scheduled {}

/// Puts `till` on the schedule; `false` if the shutdown already made every
/// Till go, in which case the caller makes it go at once.
///
/// # Panics
///
/// If the OS refuses to start the timer thread, since no Till could ever go.
pub(super) fn schedule(deadline: Deadline, till: &Signal) -> bool {
    let mut schedule = TIMER.schedule.lock();
    if schedule.shut_down {
        return false;
    }
    let till = crate::sync::Arc::downgrade(&till.inner);
    let at = match deadline {
        Deadline::Never => {
            schedule.forever.push(till);
            if schedule.forever.len() >= schedule.sweep_forever_at {
                schedule.forever.retain(|till| till.strong_count() > 0);
                schedule.sweep_forever_at = MIN_SWEEP_LEN.max(2 * schedule.forever.len());
            }
            return true;
        }
        Deadline::At(at) => at,
    };
    let at = nanos_after_base(at);
    let earliest = schedule.heap.peek().is_none_or(|top| at < top.at);
    schedule.heap.push(Scheduled { at, till });
    let dead_are_half = DROPPED.load(AtomicOrdering::Relaxed) * 2 >= schedule.heap.len();
    if schedule.heap.len() >= schedule.sweep_heap_at
        || (dead_are_half && schedule.heap.len() >= MIN_SWEEP_LEN)
    {
        sweep(&mut schedule);
    }
    HEAP_LEN.store(schedule.heap.len(), AtomicOrdering::Relaxed);
    if !schedule.thread_started {
        start_thread();
        schedule.thread_started = true;
    } else if earliest {
        TIMER.wake.notify_one();
    }
    true
}

/// Removes the entries of dropped Tills, and gives back memory when most of
/// the heap went.
///
/// Drops racing a sweep compare their count with the length from before it
/// (`HEAP_LEN` is published at its end), so they may not ask for the sweep
/// that the new, shorter heap needs; and once they are done, no drop is left
/// to ask. So the sweep checks again itself, with the length it published,
/// and goes on while the dead entries counted since its start are half of
/// the heap. The count only grows while Tills are being dropped, so this
/// ends; a count that overstates (a Till counted, then removed by this very
/// sweep) costs one more pass, after which it is zero.
fn sweep(schedule: &mut Schedule) {
    loop {
        DROPPED.store(0, AtomicOrdering::Relaxed);
        SWEEP_ASKED.store(false, AtomicOrdering::Relaxed);
        schedule.heap.retain(|entry| entry.till.strong_count() > 0);
        #[cfg(all(test, not(loom)))]
        tests_hook::after_retain();
        let len = schedule.heap.len();
        if schedule.heap.capacity() > 4 * len.max(MIN_SWEEP_LEN) {
            schedule.heap.shrink_to(2 * len);
        }
        schedule.sweep_heap_at = MIN_SWEEP_LEN.max(2 * len);
        HEAP_LEN.store(len, AtomicOrdering::Relaxed);
        let dead_are_half = DROPPED.load(AtomicOrdering::Relaxed) * 2 >= len;
        if !(dead_are_half && len >= MIN_SWEEP_LEN) {
            break;
        }
    }
}

/// Lets a test drop Tills in the middle of a sweep pass, after it saw them
/// alive and before it publishes the heap's new length: the race that the
/// loop in [`sweep`] closes.
#[cfg(all(test, not(loom)))]
pub(super) mod tests_hook {
    use std::cell::Cell;

    thread_local! {
        static AFTER_RETAIN: Cell<Option<Box<dyn FnOnce()>>> = const { Cell::new(None) };
    }

    /// Runs `f` once, on this thread, in the next sweep pass it runs.
    pub(in crate::till) fn once_after_retain(f: impl FnOnce() + 'static) {
        AFTER_RETAIN.with(|slot| slot.set(Some(Box::new(f))));
    }

    pub(super) fn after_retain() {
        if let Some(f) = AFTER_RETAIN.with(Cell::take) {
            f();
        }
    }

    /// Sweeps now, on the calling thread.
    pub(in crate::till) fn sweep_now() {
        super::sweep(&mut super::TIMER.schedule.lock());
    }

    /// The drops counted since the last sweep.
    pub(in crate::till) fn dropped() -> usize {
        super::DROPPED.load(super::AtomicOrdering::Relaxed)
    }
}

/// Called when a Till that had not gone is dropped: counts it, and wakes the
/// timer thread to sweep once the dead entries are half of the heap.
pub(crate) fn till_dropped() {
    let len = HEAP_LEN.load(AtomicOrdering::Relaxed);
    if len < MIN_SWEEP_LEN {
        // A small heap is swept by the doubling rule alone: skip the count,
        // which keeps making and dropping a Till cheap.
        return;
    }
    // A read-modify-write: a lost count under racing drops could leave the
    // dead half of the heap unswept until new Tills arrive.
    let dropped = DROPPED.fetch_add(1, AtomicOrdering::Relaxed) + 1;
    if dropped * 2 >= len && !SWEEP_ASKED.swap(true, AtomicOrdering::Relaxed) {
        // Under the lock, so the timer thread is either asleep (and woken) or
        // yet to check the count: a notify cannot fall between the two.
        let _schedule = TIMER.schedule.lock();
        TIMER.wake.notify_one();
    }
}

fn start_thread() {
    if let Err(error) = crate::sync::real::thread::Builder::new()
        .name(THREAD_NAME.to_owned())
        .spawn(run)
    {
        panic!("more-threads could not start its timer thread `{THREAD_NAME}`: {error}");
    }
}

/// The timer thread: forever, make the due Tills go, then sleep until the next.
fn run() {
    let mut schedule = TIMER.schedule.lock();
    loop {
        let now = nanos_after_base(Instant::now());
        let mut due = Vec::new();
        while schedule.heap.peek().is_some_and(|top| top.at <= now) {
            if let Some(entry) = schedule.heap.pop() {
                due.push(entry.till);
            }
        }
        let len = schedule.heap.len();
        if len >= MIN_SWEEP_LEN && DROPPED.load(AtomicOrdering::Relaxed) * 2 >= len {
            sweep(&mut schedule);
        }
        HEAP_LEN.store(schedule.heap.len(), AtomicOrdering::Relaxed);
        if !due.is_empty() {
            // Callbacks may make new Tills: never run them under our lock.
            drop(schedule);
            go_all(due);
            schedule = TIMER.schedule.lock();
            continue;
        }
        schedule = match schedule.heap.peek().map(Scheduled::instant) {
            Some(at) => TIMER.wake.wait_until(schedule, at),
            None => TIMER.wake.wait(schedule),
        };
    }
}

/// Makes the Tills that are still alive go; returns how many went by this call.
fn go_all(tills: impl IntoIterator<Item = Weak<Inner>>) -> usize {
    tills
        .into_iter()
        .filter_map(|till| till.upgrade())
        .filter(|till| till.go())
        .count()
}

pub(super) fn go_all_pending() -> usize {
    let (heap, forever) = {
        let mut schedule = TIMER.schedule.lock();
        schedule.shut_down = true;
        (
            std::mem::take(&mut schedule.heap),
            std::mem::take(&mut schedule.forever),
        )
    };
    TIMER.wake.notify_one();
    go_all(heap.into_iter().map(|entry| entry.till).chain(forever))
}

/// How many entries the schedule holds, dead or alive (for memory tests).
#[cfg(all(test, not(loom)))]
pub(super) fn scheduled_len() -> usize {
    let schedule = TIMER.schedule.lock();
    schedule.heap.len() + schedule.forever.len()
}
