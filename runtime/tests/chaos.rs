//! Chaos: random thread trees whose workers do whatever a worker may do,
//! stopped at a random moment, and the invariants the library promises,
//! checked after every run.
//!
//! Each run is one seed: a tree of depth at most 4 and at most 60 threads,
//! started through `Thread::run`, `more_threads::scope`, `scope!` and a
//! `ThreadPool`; each worker returns, returns `Err`, panics (with a message
//! or with a payload whose `Drop` panics), stops quietly, ignores
//! `please_stop` for a while, blocks on a Signal, a Till, a Lock or a Queue,
//! and may start children of its own (joined, released or dropped), or
//! plant a deadlock (two children taking two Locks in opposite orders, met
//! on purpose), while the test stops the root at a random moment. Then:
//!
//! * every deadlock planted and met is named exactly once (by the failure
//!   of the Lock wait that closed it), and no other is ever reported;
//! * every failure that happened is seen exactly once: by the joiner that
//!   got it (which keeps it, and returns no failure), or in the log;
//! * every item added to the queue is popped or still in it, none twice;
//!   producers blocked on a full queue nobody pops give up when stopped,
//!   handing their items back (none lost, none twice);
//! * no process of a group the run started (a shell and its two sleeps) is
//!   alive after it;
//! * the OS threads of the process are back to their number before the run,
//!   and `dump()` shows only the root;
//! * no run takes longer than its deadline.
//!
//! `CHAOS_SEEDS=N` runs N seeds (300 unless told; the first is
//! `CHAOS_FIRST`, 1 unless told), `CHAOS_SEED=S` replays seed S alone. A
//! failure prints its seed. The seed fixes every choice (the tree, what each
//! worker does, when the stop comes); the interleaving is the OS's, so a
//! replay runs the same program, not always the same schedule. The last line says how many seeds ran and which
//! invariants were checked. No libtest harness: the count of OS threads
//! needs a process that runs nothing else.

use more_threads::{
    BoxError, Lock, Process, Queue, Signal, Thread, ThreadPool, Till, dump, scope,
    thread::JoinTillError,
};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The longest a run may take, its stop included.
const RUN_DEADLINE: Duration = Duration::from_secs(30);
const MAX_THREADS: usize = 60;
const MAX_DEPTH: u32 = 4;
/// How many planted deadlocks met, over all the seeds.
static DEADLOCKS_MET: AtomicUsize = AtomicUsize::new(0);
/// What `panic_message` says of a payload that is not a string.
const HOSTILE: &str = "<a panic payload that is not a string>";

fn main() {
    silence_panics();
    let logged = install_log_capture();
    let seeds: Vec<u64> = match std::env::var("CHAOS_SEED") {
        Ok(seed) => vec![seed.parse().expect("CHAOS_SEED is a number")],
        Err(_) => {
            let count = env_number("CHAOS_SEEDS", 300);
            let first = env_number("CHAOS_FIRST", 1);
            (first..first + count).collect()
        }
    };
    // Start the runtime's own threads (the timer) before the baseline: a
    // Till an hour away is put on the timer. (A 1 ms Till could be due
    // before its wait began on a busy machine, start no timer, and leave
    // the timer to seed 1, which then counted one OS thread too many.)
    more_threads::__private::arm(&Till::seconds(3600.0));
    let baseline = os_threads();
    let mut threads_started = 0;
    for &seed in &seeds {
        let started = Instant::now();
        match run(seed, logged, baseline) {
            Ok(threads) => threads_started += threads,
            Err(why) => {
                println!("chaos: seed {seed} FAILED: {why}");
                println!("chaos: replay it with CHAOS_SEED={seed}");
                std::process::exit(1);
            }
        }
        if started.elapsed() > RUN_DEADLINE {
            println!("chaos: seed {seed} FAILED: it took {:?}", started.elapsed());
            std::process::exit(1);
        }
    }
    println!(
        "chaos: {} seeds ({}..={}), {threads_started} threads, {} planted deadlocks met; checked every run: each failure seen exactly once, \
         each deadlock met named once and no other, \
         every queued item consumed or handed back and none twice, OS threads back to baseline, dump() shows only the root, \
         no run over {RUN_DEADLINE:?}",
        seeds.len(),
        seeds.first().unwrap_or(&0),
        seeds.last().unwrap_or(&0),
        DEADLOCKS_MET.load(Ordering::Relaxed),
    );
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

// ------------------------------------------------------------------ a run

/// A xorshift64: reproducible from the seed, no dependency.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound.max(1)
    }
}

/// What one run shares between its workers, and counts.
struct Run {
    seed: u64,
    next_id: AtomicU64,
    threads: AtomicUsize,
    lock: Lock<u64>,
    queue: Queue<u64>,
    /// A bounded queue nobody pops: its producers block until stopped.
    full: Queue<u64>,
    full_added: Mutex<Vec<u64>>,
    /// The process groups started (a shell and its two sleeps each).
    groups: Mutex<Vec<u32>>,
    /// The marks of the failures that happened.
    failed: Mutex<Vec<String>>,
    hostile: AtomicUsize,
    /// What joiners were handed, `{:#}`.
    seen: Mutex<Vec<String>>,
    /// The marks of the deadlocks planted whose two sides met.
    deadlocks: Mutex<Vec<String>>,
    added: Mutex<Vec<u64>>,
    consumed: Mutex<Vec<u64>>,
}

impl Run {
    fn id(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::Relaxed)
    }

    /// Takes a thread from the budget, if any is left.
    fn take_thread(&self) -> bool {
        self.threads
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |used| {
                (used < MAX_THREADS).then_some(used + 1)
            })
            .is_ok()
    }

    fn saw(&self, error: &dyn std::fmt::Display) {
        self.seen.lock().unwrap().push(format!("{error:#}"));
    }

    fn mark(&self, id: u64) -> String {
        format!("chaos#{}#{id}#", self.seed)
    }
}

/// A panic payload whose `Drop` panics.
struct Hostile;

impl Drop for Hostile {
    fn drop(&mut self) {
        panic!("a hostile payload's drop");
    }
}

/// One run: the tree, the stop, and the invariants.
fn run(seed: u64, logged: &Mutex<Vec<String>>, baseline: usize) -> Result<usize, String> {
    logged.lock().unwrap().clear();
    let run = Arc::new(Run {
        seed,
        next_id: AtomicU64::new(1),
        threads: AtomicUsize::new(1),
        lock: Lock::named("chaos", 0),
        queue: Queue::new("chaos"),
        full: Queue::bounded("chaos-full", 4),
        full_added: Mutex::default(),
        groups: Mutex::default(),
        failed: Mutex::default(),
        hostile: AtomicUsize::new(0),
        seen: Mutex::default(),
        deadlocks: Mutex::default(),
        added: Mutex::default(),
        consumed: Mutex::default(),
    });
    let mut rng = Rng::new(seed);
    let root_seed = rng.next();
    let root = {
        let run = run.clone();
        Thread::run("chaos-root", move |please_stop| {
            let mut rng = Rng::new(root_seed);
            spawn_children(&run, &mut rng, 0, please_stop);
            please_stop.wait();
        })
        .map_err(|error| format!("the root could not start: {error:#}"))?
    };
    Till::after(Duration::from_micros(rng.below(30_000))).wait();
    root.stop();
    if let Err(error) = root.join() {
        run.saw(&error);
    }
    check(&run, logged, baseline)?;
    Ok(run.threads.load(Ordering::Relaxed))
}

/// Starts 0 to 3 groups of children of the calling worker, each group by
/// one of the four ways, and deals with their handles at random.
fn spawn_children(run: &Arc<Run>, rng: &mut Rng, depth: u32, please_stop: &Signal) {
    if depth >= MAX_DEPTH {
        return;
    }
    for _ in 0..rng.below(3) + 1 {
        match rng.below(4) {
            0 => by_thread_run(run, rng, depth),
            1 => by_scope_fn(run, rng, depth),
            2 => by_scope_macro(run, rng, depth),
            _ => by_pool(run, rng, depth, please_stop),
        }
    }
}

fn worker(
    run: &Arc<Run>,
    rng: &mut Rng,
    depth: u32,
) -> impl FnOnce(&Signal) -> Result<u64, BoxError> + Send + 'static + use<> {
    let (run, seed) = (run.clone(), rng.next());
    move |please_stop| behave(&run, &mut Rng::new(seed), depth + 1, please_stop)
}

fn by_thread_run(run: &Arc<Run>, rng: &mut Rng, depth: u32) {
    if !run.take_thread() {
        return;
    }
    let name = format!("thread-{}", run.id());
    let Ok(handle) = Thread::run(&name, worker(run, rng, depth)) else {
        return;
    };
    match rng.below(3) {
        0 => {
            if let Err(error) = handle.join() {
                run.saw(&error);
            }
        }
        1 => handle.release(),
        _ => drop(handle), // its failure is its parent's
    }
}

fn by_scope_fn(run: &Arc<Run>, rng: &mut Rng, depth: u32) {
    let children = rng.below(3) + 1;
    let workers: Vec<_> = (0..children)
        .filter(|_| run.take_thread())
        .map(|_| {
            (
                format!("scoped-{}", run.id()),
                worker(run, rng, depth),
                rng.below(2) == 0,
            )
        })
        .collect();
    let outcome = scope(|scope| {
        for (name, worker, join_it) in workers {
            let child = scope.spawn(&name, worker);
            if join_it {
                if let Err(error) = child.join() {
                    run.saw(&error);
                }
            }
        }
    });
    if let Err(error) = outcome {
        run.saw(&error);
    }
}

fn by_scope_macro(run: &Arc<Run>, rng: &mut Rng, depth: u32) {
    if !(run.take_thread() && run.take_thread()) {
        return;
    }
    let (first, second) = (worker(run, rng, depth), worker(run, rng, depth));
    let join_first = rng.below(2) == 0;
    if let Err(error) = macro_scope(run, first, second, join_first) {
        run.saw(&error);
    }
}

/// Two children in a `scope!`, the first joined or not; the scope's failure
/// comes out through `?`, as in any fn.
fn macro_scope(
    run: &Run,
    first: impl FnOnce(&Signal) -> Result<u64, BoxError> + Send,
    second: impl FnOnce(&Signal) -> Result<u64, BoxError> + Send,
    join_first: bool,
) -> Result<(), more_threads::ThreadError> {
    more_threads::scope! {
        let a = spawn "macro-a" => first;
        let _b = spawn "macro-b" => second;
        if join_first {
            if let Err(error) = a.join() {
                run.saw(&error);
            }
        }
    };
    Ok(())
}

fn by_pool(run: &Arc<Run>, rng: &mut Rng, depth: u32, please_stop: &Signal) {
    if !(run.take_thread() && run.take_thread()) {
        return;
    }
    let Ok(pool) = ThreadPool::new(format!("pool-{}", run.id()), 2) else {
        return;
    };
    let mut tasks = Vec::new();
    for _ in 0..rng.below(4) + 1 {
        let name = format!("task-{}", run.id());
        if let Ok(task) = pool.run(&name, worker(run, rng, depth)) {
            tasks.push((task, rng.below(2) == 0));
        }
    }
    for (task, join_it) in tasks {
        if join_it && !please_stop.is_go() {
            if let Err(error) = task.join() {
                run.saw(&error);
            }
        }
        // Otherwise dropped: a failure of its comes to the log.
    }
    let ended = if rng.below(2) == 0 {
        pool.close()
    } else {
        pool.stop()
    };
    if let Err(error) = ended {
        run.saw(&error);
    }
}

/// What one worker does: maybe start children, then one of ten things.
fn behave(
    run: &Arc<Run>,
    rng: &mut Rng,
    depth: u32,
    please_stop: &Signal,
) -> Result<u64, BoxError> {
    // Near the root, most workers start children; deeper, fewer do.
    if rng.below(u64::from(depth) + 1) == 0 {
        spawn_children(run, rng, depth, please_stop);
    }
    let id = run.id();
    match rng.below(10) {
        0 => Ok(id),
        1 => {
            let mark = run.mark(id);
            run.failed.lock().unwrap().push(mark.clone());
            Err(mark.into())
        }
        2 => {
            let mark = run.mark(id);
            run.failed.lock().unwrap().push(mark.clone());
            panic!("{mark}");
        }
        3 => {
            run.hostile.fetch_add(1, Ordering::Relaxed);
            std::panic::panic_any(Hostile);
        }
        4 => {
            please_stop.wait();
            please_stop.check()?;
            Ok(id)
        }
        5 => {
            // Ignores please_stop for a while.
            std::thread::sleep(Duration::from_micros(rng.below(15_000)));
            Ok(id)
        }
        6 => {
            (please_stop | Signal::never()).wait();
            Ok(id)
        }
        7 => {
            (please_stop | Till::after(Duration::from_micros(rng.below(20_000)))).wait();
            Ok(id)
        }
        8 => {
            let mut guard = run.lock.lock();
            *guard += 1;
            if rng.below(2) == 0 {
                guard.wait_till(please_stop);
            }
            Ok(id)
        }
        9 if rng.below(4) == 0 => {
            plant_a_deadlock(run, id)?;
            Ok(id)
        }
        9 if rng.below(3) == 0 => {
            // Blocks on a queue nobody pops, until asked to stop: the add
            // or extend gives up, handing the items back.
            let items: Vec<u64> = (0..1 + rng.below(6)).map(|_| run.id()).collect();
            run.full_added.lock().unwrap().extend(&items);
            let handed_back = if rng.below(2) == 0 {
                items
                    .into_iter()
                    .filter_map(|item| run.full.add(item).err().map(|error| error.into_inner()))
                    .collect()
            } else {
                run.full
                    .extend(items)
                    .err()
                    .map_or_else(Vec::new, |error| error.into_inner())
            };
            run.full_added
                .lock()
                .unwrap()
                .retain(|added| !handed_back.contains(added));
            Ok(id)
        }
        9 if rng.below(2) == 0 => {
            // A child process with children of its own, ended with this
            // worker: its whole group must be gone after the run.
            let mut tree = std::process::Command::new("sh");
            tree.args(["-c", "sleep 3600 & sleep 3601 & wait"]);
            // A system without sh has nothing to check here.
            if let Ok(process) = Process::run(format!("tree-{id}"), tree) {
                run.groups.lock().unwrap().push(process.pid());
                (please_stop | process.stopped()).wait();
            }
            Ok(id)
        }
        _ => {
            if rng.below(2) == 0 {
                for _ in 0..rng.below(50) {
                    let item = run.id();
                    // Recorded before the add: a consumer may pop it first.
                    run.added.lock().unwrap().push(item);
                    if run.queue.add(item).is_err() {
                        run.added.lock().unwrap().retain(|added| *added != item);
                    }
                }
            } else {
                while let Ok(item) = run.queue.pop_till(please_stop) {
                    run.consumed.lock().unwrap().push(item);
                }
            }
            Ok(id)
        }
    }
}

/// Two children that each take one Lock of a pair, wait until the other
/// holds its own (or until asked to stop), and then take the other's: once
/// both went for the second Lock, the cycle is certain, and exactly one of
/// the two must fail naming it, so that the other goes through.
fn plant_a_deadlock(run: &Arc<Run>, id: u64) -> Result<(), BoxError> {
    if !(run.take_thread() && run.take_thread()) {
        return Ok(());
    }
    let mark = format!("chaos-deadlock#{}#{id}#", run.seed);
    let locks = [
        Arc::new(Lock::named(format!("{mark}a"), 0)),
        Arc::new(Lock::named(format!("{mark}b"), 0)),
    ];
    let holds = [Signal::new(), Signal::new()];
    let went_for_the_second: Arc<AtomicUsize> = Arc::default();
    let sides: Vec<Thread<()>> = (0..2)
        .map(|side| {
            let (mine, theirs) = (locks[side].clone(), locks[1 - side].clone());
            let (i_hold, they_hold) = (holds[side].clone(), holds[1 - side].clone());
            let went = went_for_the_second.clone();
            Thread::run(&format!("crossed-{id}-{side}"), move |please_stop| {
                let mut mine = mine.lock();
                i_hold.go();
                (please_stop | &they_hold).wait();
                if they_hold.is_go() {
                    went.fetch_add(1, Ordering::SeqCst);
                    *theirs.lock() += 1;
                }
                *mine += 1;
            })
        })
        .collect::<Result<_, _>>()?;
    // A deadlock left unnamed would hang the run: fail it instead.
    let give_up = Till::after(RUN_DEADLINE);
    for side in sides {
        match side.join_till(&give_up) {
            Ok(()) => {}
            Err(JoinTillError::Failed(error)) => run.saw(&error),
            Err(JoinTillError::StillRunning(_)) => {
                println!(
                    "chaos: seed {} FAILED: the deadlock {mark} planted was not named within {RUN_DEADLINE:?}",
                    run.seed
                );
                std::process::exit(1);
            }
        }
    }
    if went_for_the_second.load(Ordering::SeqCst) == 2 {
        run.deadlocks.lock().unwrap().push(mark);
        DEADLOCKS_MET.fetch_add(1, Ordering::Relaxed);
    }
    Ok(())
}

// ------------------------------------------------------------- invariants

/// `text` without the stop reasons in it (`stopped because main/a failed:
/// …`), each cut to the end of its item: the next `; then ` or unmatched `]`.
fn without_reasons(text: &str) -> String {
    const REASON: &str = "stopped because ";
    let mut kept = String::new();
    let mut rest = text;
    while let Some(start) = rest.find(REASON) {
        kept.push_str(&rest[..start]);
        let reason = &rest[start..];
        let mut depth = 0_usize;
        let mut end = reason.len();
        for (at, c) in reason.char_indices() {
            match c {
                '[' => depth += 1,
                ']' if depth == 0 => {
                    end = at;
                    break;
                }
                ']' => depth -= 1,
                ';' if depth == 0 && reason[at..].starts_with("; then ") => {
                    end = at;
                    break;
                }
                _ => {}
            }
        }
        kept.push_str("stopped because (reason)");
        rest = &reason[end..];
    }
    kept.push_str(rest);
    kept
}

fn check(run: &Run, logged: &Mutex<Vec<String>>, baseline: usize) -> Result<(), String> {
    // Every failure, seen exactly once.
    let seen = run.seen.lock().unwrap().clone();
    let logged = logged.lock().unwrap().clone();
    let everything: Vec<&String> = seen.iter().chain(logged.iter()).collect();
    // A stop's reason quotes the failure that caused it: no second report.
    let reported: Vec<String> = everything
        .iter()
        .map(|text| without_reasons(text))
        .collect();
    for mark in run.failed.lock().unwrap().iter() {
        let times: usize = reported
            .iter()
            .map(|text| text.matches(mark.as_str()).count())
            .sum();
        if times != 1 {
            return Err(format!(
                "failure {mark} seen {times} times\n  joiners saw: {seen:#?}\n  the log: {logged:#?}"
            ));
        }
    }
    // Every deadlock planted and met, named once; none other, ever.
    let named: Vec<&String> = reported
        .iter()
        .filter(|text| text.contains("deadlock: "))
        .collect();
    let planted = run.deadlocks.lock().unwrap().clone();
    for mark in &planted {
        let times = named
            .iter()
            .filter(|text| text.contains(mark.as_str()))
            .count();
        if times != 1 {
            return Err(format!(
                "deadlock {mark} named {times} times\n  joiners saw: {seen:#?}\n  the log: {logged:#?}"
            ));
        }
    }
    if named.len() != planted.len() {
        return Err(format!(
            "{} deadlocks named, {} planted and met: a false alarm\n  named: {named:#?}",
            named.len(),
            planted.len()
        ));
    }
    let hostile_seen: usize = reported
        .iter()
        .map(|text| text.matches(HOSTILE).count())
        .sum();
    let hostile = run.hostile.load(Ordering::Relaxed);
    if hostile_seen != hostile {
        return Err(format!(
            "{hostile} hostile panics, seen {hostile_seen} times\n  joiners saw: {seen:#?}\n  the log: {logged:#?}"
        ));
    }
    // Every item, consumed or still queued, once.
    let mut added = run.added.lock().unwrap().clone();
    let mut out = run.consumed.lock().unwrap().clone();
    out.extend(run.queue.pop_all());
    added.sort_unstable();
    out.sort_unstable();
    if added != out {
        return Err(format!(
            "{} items added, {} consumed or left: some lost or doubled",
            added.len(),
            out.len()
        ));
    }
    // Every item added to the full queue is in it, once; the rest were
    // handed back to producers that were asked to stop.
    let mut full_added = run.full_added.lock().unwrap().clone();
    let mut full_left = run.full.pop_all();
    full_added.sort_unstable();
    full_left.sort_unstable();
    if full_added != full_left {
        return Err(format!(
            "{} items added to the full queue, {} left in it: some lost or doubled",
            full_added.len(),
            full_left.len()
        ));
    }
    // No process of a group we started left behind (their shells' sleeps
    // included), from one deadline.
    let started = Instant::now();
    let groups = run.groups.lock().unwrap().clone();
    loop {
        let left = processes_in(&groups);
        if left.is_empty() {
            break;
        }
        if started.elapsed() > Duration::from_secs(10) {
            return Err(format!(
                "processes of the groups {groups:?} still alive 10 s after the run: {left:?}"
            ));
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    // No thread left behind.
    loop {
        let (threads, children) = (os_threads(), dump().root().children().len());
        if threads == baseline && children == 0 {
            return Ok(());
        }
        if started.elapsed() > Duration::from_secs(10) {
            return Err(format!(
                "{threads} OS threads, {baseline} before the run; dump():\n{}",
                dump()
            ));
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// The processes alive (not zombies) whose process group is one of `groups`.
fn processes_in(groups: &[u32]) -> Vec<u32> {
    if groups.is_empty() {
        return Vec::new();
    }
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                return false;
            };
            // After the command's `)`: state, ppid, pgrp.
            let mut fields = stat.rsplit(')').next().unwrap_or("").split_whitespace();
            let state = fields.next().unwrap_or("Z");
            let group = fields.nth(1).and_then(|group| group.parse::<u32>().ok());
            state != "Z" && group.is_some_and(|group| groups.contains(&group))
        })
        .collect()
}

/// The OS threads of this process.
fn os_threads() -> usize {
    std::fs::read_dir("/proc/self/task").map_or(0, Iterator::count)
}

// ------------------------------------------------------------ the harness

fn silence_panics() {
    // The workers panic on purpose, hundreds of times.
    std::panic::set_hook(Box::new(|_| {}));
}

static LOGGED: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct Capture;

impl log::Log for Capture {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= log::Level::Error
    }

    fn log(&self, record: &log::Record<'_>) {
        if record.level() <= log::Level::Error {
            LOGGED.lock().unwrap().push(record.args().to_string());
        }
    }

    fn flush(&self) {}
}

fn install_log_capture() -> &'static Mutex<Vec<String>> {
    log::set_logger(&Capture).expect("the only logger");
    log::set_max_level(log::LevelFilter::Error);
    &LOGGED
}
