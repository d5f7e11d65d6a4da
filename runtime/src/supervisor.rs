//! [`Supervisor`]: a thread that starts children and restarts them by
//! strategy, as an Erlang/OTP supervisor does.
//!
//! A [`Restart`](crate::thread::Restart) policy restarts one thread on its
//! own. Services that depend on each other need more: when the database
//! connection dies, the workers that hold its handles must start again with
//! it. A supervisor runs a group of children, each started from a
//! [`Child`] spec (a factory called again for every start), and when one
//! ends it applies its [`Strategy`]: restart that one (`one_for_one`), all
//! of them (`one_for_all`), or it and those started after it
//! (`rest_for_one`). Too many restarts in too little time, its
//! [intensity](Supervisor::intensity), and it gives up: it fails with the
//! last failure, so its parent (a scope, a thread that joins it, `main`)
//! sees it, as OTP escalates.
//!
//! ```
//! use more_threads::supervisor::{Child, Strategy, Supervisor};
//! use std::sync::{Arc, atomic::{AtomicU32, Ordering}};
//! use std::time::Duration;
//!
//! let starts = Arc::new(AtomicU32::new(0));
//! let counted = starts.clone();
//! let sup = Supervisor::new("sup")
//!     .strategy(Strategy::OneForAll)
//!     .intensity(3, Duration::from_secs(60))
//!     .child(Child::new("db", move |please_stop| {
//!         // Fails on its first start, then serves until asked to stop.
//!         if counted.fetch_add(1, Ordering::SeqCst) == 0 {
//!             return Err("connection refused");
//!         }
//!         please_stop.wait();
//!         Ok(())
//!     }))
//!     .child(Child::new("web", |please_stop| please_stop.wait()))
//!     .spawn()?;
//! while starts.load(Ordering::SeqCst) < 2 {
//!     std::thread::yield_now(); // until db's second start
//! }
//! sup.stop(); // its please_stop reaches every child
//! sup.join()?; // asked to stop: Ok
//! # Ok::<(), more_threads::ThreadError>(())
//! ```
//!
//! A child process is supervised as a thread that runs it: the factory
//! starts a [`Process`](crate::process::Process) and joins it (the
//! process is stopped with the thread that runs it).
//!
//! # What is guaranteed
//!
//! * Children start in the order they were added; a group restart stops
//!   the children it restarts youngest first, waits for each to end, then
//!   starts them again in their order. Each child stopped by a strategy is
//!   told why ([`StopReason::SupervisorRestart`]).
//! * Each restart is logged at WARN (target `more_threads::supervisor`),
//!   with the child's path and how it ended; `dump()` shows the
//!   supervisor's strategy and restarts on its line
//!   ([`Entry::note`](crate::thread::dump::Entry::note)) and each child's
//!   restarts.
//! * A child is a thread of the supervisor: its path is `…/sup/db`, and
//!   nothing it starts outlives it. The supervisor's `please_stop` reaches
//!   every child at once with its reason (the tree hands a stop down,
//!   youngest first); the supervisor then waits for them, youngest first,
//!   and ends with `Ok`.
//! * A child that ended and is not restarted ([temporary](Restart::Temporary),
//!   or [transient](Restart::Transient) and ended normally) stays ended: a
//!   group restart does not start it again.
//! * The supervisor ends with `Ok` when it was asked to stop or when a
//!   [significant](Child::significant) child ended, and with `Err` when its
//!   intensity was exceeded (the last failure) or a child could not be
//!   started (that error). Either way, every child has ended first.
//! * A child's failure that comes while the supervisor stops it (a
//!   failure in its shutdown) is logged at ERROR, never dropped.

use crate::signal::{Signal, StopReason, one_line};
use crate::sync::Arc;
use crate::thread::BoxError;
use crate::thread::Outcome;
use crate::thread::Thread;
use crate::thread::ThreadError;
use crate::thread::ThreadName;
use crate::thread::current;
use crate::thread::node::Node;
use crate::till::Till;
use std::collections::VecDeque;
use std::fmt;
use std::time::{Duration, Instant};

/// Which children a [`Supervisor`] restarts when one of them ends and is to
/// be restarted (OTP's strategies).
///
/// ```
/// use more_threads::supervisor::Strategy;
///
/// assert_eq!(Strategy::default(), Strategy::OneForOne);
/// assert_eq!(Strategy::RestForOne.to_string(), "rest_for_one");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Strategy {
    /// Only the child that ended is started again; the others run on.
    #[default]
    OneForOne,
    /// Every other child is stopped, youngest first, and all are started
    /// again in their order: for children that cannot run without each
    /// other.
    OneForAll,
    /// The children started after the one that ended are stopped, youngest
    /// first, and it and they are started again in their order: for
    /// children that depend on those started before them.
    RestForOne,
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Strategy::OneForOne => "one_for_one",
            Strategy::OneForAll => "one_for_all",
            Strategy::RestForOne => "rest_for_one",
        })
    }
}

/// When a supervised [`Child`] that ended is started again (OTP's
/// `restart` of a child spec).
///
/// "Fails" is what fails a thread: a panic, or an `Err` that is not a quiet
/// stop. A child that returns because its own `please_stop` went ends
/// normally.
///
/// ```
/// use more_threads::supervisor::{Child, Restart};
///
/// let once = Child::new("migrate", |_please_stop| Ok::<(), String>(())).restart(Restart::Transient);
/// assert_eq!(once.restart_kind(), Restart::Transient);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Restart {
    /// Always started again, whether it failed or returned.
    #[default]
    Permanent,
    /// Started again only when it failed: a child that returns is done.
    Transient,
    /// Never started again: once it ended, it stays ended.
    Temporary,
}

/// The work a child runs, type-erased: each start calls it again.
type Factory = Arc<dyn Fn(&Signal) -> Result<(), BoxError> + Send + Sync>;

/// A child of a [`Supervisor`]: a name, a factory called on each start, and
/// when to restart it (OTP's child spec).
///
/// ```
/// use more_threads::supervisor::{Child, Restart};
///
/// let child = Child::new("cache", |please_stop| please_stop.wait())
///     .restart(Restart::Transient)
///     .significant();
/// assert_eq!(child.name(), "cache");
/// assert!(child.is_significant());
/// ```
#[must_use = "a child spec does nothing until added to a Supervisor"]
#[derive(Clone)]
pub struct Child {
    name: Arc<str>,
    factory: Factory,
    restart: Restart,
    significant: bool,
}

impl Child {
    /// A [permanent](Restart::Permanent) child named `name` that runs
    /// `factory` with its `please_stop` on each start. What `factory`
    /// returns is its outcome, as a worker's: an `Err` or a panic is a
    /// failure; its value is dropped.
    ///
    /// ```
    /// use more_threads::supervisor::Child;
    ///
    /// let child = Child::new("ticker", |please_stop| please_stop.wait());
    /// assert_eq!(child.name(), "ticker");
    /// ```
    pub fn new<F, O>(name: impl ThreadName, factory: F) -> Child
    where
        F: Fn(&Signal) -> O + Send + Sync + 'static,
        O: Outcome,
    {
        Child {
            name: name.thread_name().into(),
            factory: Arc::new(move |please_stop: &Signal| {
                factory(please_stop).into_result().map(drop)
            }),
            restart: Restart::Permanent,
            significant: false,
        }
    }

    /// When it is started again after it ended.
    ///
    /// ```
    /// use more_threads::supervisor::{Child, Restart};
    ///
    /// let child = Child::new("report", |_please_stop| ()).restart(Restart::Temporary);
    /// assert_eq!(child.restart_kind(), Restart::Temporary);
    /// ```
    pub fn restart(mut self, restart: Restart) -> Child {
        self.restart = restart;
        self
    }

    /// Marks it significant (OTP's `significant` with `auto_shutdown`): when
    /// it ends and is not started again, the supervisor stops the others
    /// and ends with `Ok`. A [permanent](Restart::Permanent) child is always
    /// started again, so marking one is a mistake:
    /// [`Supervisor::spawn`] panics naming it.
    ///
    /// ```
    /// use more_threads::supervisor::{Child, Restart, Supervisor};
    ///
    /// let sup = Supervisor::new("job")
    ///     .child(Child::new("server", |please_stop| please_stop.wait()))
    ///     .child(Child::new("batch", |_please_stop| 42).restart(Restart::Transient).significant())
    ///     .spawn()?;
    /// sup.join()?; // batch returned, which ended the supervisor and stopped server
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    pub fn significant(mut self) -> Child {
        self.significant = true;
        self
    }

    /// Its name, which its threads get.
    ///
    /// ```
    /// assert_eq!(more_threads::supervisor::Child::new("a", |_please_stop| ()).name(), "a");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// When it is started again.
    ///
    /// ```
    /// use more_threads::supervisor::{Child, Restart};
    /// assert_eq!(Child::new("a", |_please_stop| ()).restart_kind(), Restart::Permanent);
    /// ```
    pub fn restart_kind(&self) -> Restart {
        self.restart
    }

    /// Whether it is [significant](Child::significant).
    ///
    /// ```
    /// assert!(!more_threads::supervisor::Child::new("a", |_please_stop| ()).is_significant());
    /// ```
    pub fn is_significant(&self) -> bool {
        self.significant
    }
}

impl fmt::Debug for Child {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Child")
            .field("name", &self.name)
            .field("restart", &self.restart)
            .field("significant", &self.significant)
            .finish_non_exhaustive()
    }
}

/// A supervisor about to start: its name, strategy, intensity, backoff and
/// children. [`spawn`](Supervisor::spawn) starts it as a child of the
/// current thread.
///
/// ```
/// use more_threads::supervisor::{Child, Strategy, Supervisor};
/// use std::time::Duration;
///
/// let sup = Supervisor::new("services")
///     .strategy(Strategy::RestForOne)
///     .intensity(5, Duration::from_secs(10))
///     .backoff(Duration::from_millis(10))
///     .child(Child::new("config", |please_stop| please_stop.wait()))
///     .child(Child::new("server", |please_stop| please_stop.wait()))
///     .spawn()?;
/// sup.stop();
/// sup.join()?;
/// # Ok::<(), more_threads::ThreadError>(())
/// ```
#[must_use = "a supervisor does nothing until spawn()"]
#[derive(Debug, Clone)]
pub struct Supervisor {
    name: Arc<str>,
    strategy: Strategy,
    max_restarts: u32,
    within: Duration,
    backoff: Duration,
    children: Vec<Child>,
}

impl Supervisor {
    /// A supervisor named `name`, [one_for_one](Strategy::OneForOne), with
    /// OTP's default intensity (at most 1 restart within 5 s), no backoff
    /// and no children yet.
    ///
    /// ```
    /// use more_threads::supervisor::{Strategy, Supervisor};
    /// use std::time::Duration;
    ///
    /// let sup = Supervisor::new("sup");
    /// assert_eq!(sup.strategy_kind(), Strategy::OneForOne);
    /// assert_eq!(sup.intensity_limit(), (1, Duration::from_secs(5)));
    /// ```
    pub fn new(name: impl ThreadName) -> Supervisor {
        Supervisor {
            name: name.thread_name().into(),
            strategy: Strategy::OneForOne,
            max_restarts: 1,
            within: Duration::from_secs(5),
            backoff: Duration::ZERO,
            children: Vec::new(),
        }
    }

    /// Which children restart when one ends.
    ///
    /// ```
    /// use more_threads::supervisor::{Strategy, Supervisor};
    /// let sup = Supervisor::new("sup").strategy(Strategy::OneForAll);
    /// assert_eq!(sup.strategy_kind(), Strategy::OneForAll);
    /// ```
    pub fn strategy(mut self, strategy: Strategy) -> Supervisor {
        self.strategy = strategy;
        self
    }

    /// The restart intensity: when a restart would make more than
    /// `restarts` restarts within `within` (of the whole group: a group
    /// restart counts once), the supervisor does not restart; it stops its
    /// children and fails with the failure of the child that ended (OTP's
    /// `intensity` and `period`). `intensity(0, _)` never restarts.
    ///
    /// ```
    /// use more_threads::supervisor::Supervisor;
    /// use std::time::Duration;
    /// let sup = Supervisor::new("sup").intensity(10, Duration::from_secs(60));
    /// assert_eq!(sup.intensity_limit(), (10, Duration::from_secs(60)));
    /// ```
    pub fn intensity(mut self, restarts: u32, within: Duration) -> Supervisor {
        self.max_restarts = restarts;
        self.within = within;
        self
    }

    /// Waits `pause` before each restart (none unless told, as OTP). The
    /// supervisor's `please_stop` cuts it short.
    ///
    /// ```
    /// use more_threads::supervisor::Supervisor;
    /// use std::time::Duration;
    /// let _sup = Supervisor::new("sup").backoff(Duration::from_millis(100));
    /// ```
    pub fn backoff(mut self, pause: Duration) -> Supervisor {
        self.backoff = pause;
        self
    }

    /// Adds a child, started after those added before it.
    ///
    /// ```
    /// use more_threads::supervisor::{Child, Supervisor};
    /// let sup = Supervisor::new("sup").child(Child::new("a", |please_stop| please_stop.wait()));
    /// assert_eq!(sup.children().count(), 1);
    /// ```
    pub fn child(mut self, child: Child) -> Supervisor {
        self.children.push(child);
        self
    }

    /// Its children, in their order.
    ///
    /// ```
    /// use more_threads::supervisor::{Child, Supervisor};
    /// let sup = Supervisor::new("sup")
    ///     .child(Child::new("a", |_please_stop| ()))
    ///     .child(Child::new("b", |_please_stop| ()));
    /// assert_eq!(sup.children().map(Child::name).collect::<Vec<_>>(), ["a", "b"]);
    /// ```
    pub fn children(&self) -> impl Iterator<Item = &Child> {
        self.children.iter()
    }

    /// Its strategy.
    ///
    /// ```
    /// use more_threads::supervisor::{Strategy, Supervisor};
    /// assert_eq!(Supervisor::new("sup").strategy_kind(), Strategy::OneForOne);
    /// ```
    pub fn strategy_kind(&self) -> Strategy {
        self.strategy
    }

    /// Its intensity: how many restarts, within how long.
    ///
    /// ```
    /// use more_threads::supervisor::Supervisor;
    /// let (restarts, _within) = Supervisor::new("sup").intensity_limit();
    /// assert_eq!(restarts, 1);
    /// ```
    pub fn intensity_limit(&self) -> (u32, Duration) {
        (self.max_restarts, self.within)
    }

    /// Starts the supervisor, as a child of the current thread, and its
    /// children, in their order, as its children. Its `join` is `Ok` when
    /// it was asked to stop or a significant child ended, `Err` when it
    /// gave up (the failure of the child that ended past the intensity, or
    /// a child that could not start).
    ///
    /// # Errors
    ///
    /// As [`Thread::run`]: the supervisor's thread could not be started.
    ///
    /// # Panics
    ///
    /// When a [permanent](Restart::Permanent) child is marked
    /// [significant](Child::significant), naming it.
    ///
    /// ```
    /// use more_threads::supervisor::{Child, Supervisor};
    /// use std::time::Duration;
    ///
    /// let sup = Supervisor::new("fragile")
    ///     .intensity(0, Duration::from_secs(1))
    ///     .child(Child::new("broken", |_please_stop| Err::<(), _>("no config")))
    ///     .spawn()?;
    /// let error = sup.join().unwrap_err(); // no restart allowed: it escalates
    /// assert!(format!("{error:#}").contains("no config"), "{error:#}");
    /// # Ok::<(), more_threads::ThreadError>(())
    /// ```
    #[track_caller]
    pub fn spawn(self) -> Result<Thread<()>, ThreadError> {
        self.check();
        let name = self.name.clone();
        Thread::builder(&*name).spawn(move |please_stop: &Signal| supervise(self, please_stop))
    }

    /// Runs the supervisor on the current thread, whose `please_stop` is
    /// `please_stop`, until it ends: to supervise in a thread started
    /// otherwise, such as a [scope](crate::thread::scope)'s child, whose
    /// failure the scope then sees. The children are the current thread's;
    /// the current thread's name is used, not the supervisor's.
    ///
    /// # Errors
    ///
    /// When it gives up: the failure of the child that ended past the
    /// intensity (a [`ThreadError`]), or the error of a child that could
    /// not start.
    ///
    /// # Panics
    ///
    /// As [`spawn`](Supervisor::spawn).
    ///
    /// ```
    /// use more_threads::supervisor::{Child, Supervisor};
    /// use std::time::Duration;
    ///
    /// let sup = Supervisor::new("unused")
    ///     .intensity(0, Duration::from_secs(1))
    ///     .child(Child::new("broken", |_please_stop| Err::<(), _>("no config")));
    /// let failed = more_threads::scope(|scope| {
    ///     scope.spawn("sup", |please_stop| sup.run(please_stop));
    /// });
    /// assert!(format!("{:#}", failed.unwrap_err()).contains("no config"));
    /// ```
    #[track_caller]
    pub fn run(self, please_stop: &Signal) -> Result<(), BoxError> {
        self.check();
        supervise(self, please_stop)
    }

    /// Panics if a permanent child is marked significant.
    #[track_caller]
    fn check(&self) {
        if let Some(child) = self
            .children
            .iter()
            .find(|child| child.significant && child.restart == Restart::Permanent)
        {
            panic!(
                "supervisor {}: child {} is permanent and significant; a permanent child is \
                 always restarted, so mark it Restart::Transient or Restart::Temporary",
                self.name, child.name
            );
        }
    }
}

/// One child while the supervisor runs.
struct Running {
    spec: Child,
    thread: Option<Thread<()>>,
    restarts: u32,
}

/// How a child ended.
enum Ended {
    /// It returned, or stopped quietly.
    Normally,
    /// It failed.
    Failed(ThreadError),
}

/// The supervisor's thread.
fn supervise(spec: Supervisor, please_stop: &Signal) -> Result<(), BoxError> {
    let me = current::current();
    let mut group: Vec<Running> = spec
        .children
        .iter()
        .map(|child| Running {
            spec: child.clone(),
            thread: None,
            restarts: 0,
        })
        .collect();
    let mut restarts: u32 = 0;
    me.set_note(note(spec.strategy, restarts));
    let everyone: Vec<usize> = (0..group.len()).collect();
    if let Err(error) = start(&mut group, &everyone) {
        stop_all(&me, &mut group, None);
        return Err(Box::new(error));
    }
    let mut recent: VecDeque<Instant> = VecDeque::new();
    loop {
        let watch = Signal::any(
            std::iter::once(please_stop).chain(
                group
                    .iter()
                    .filter_map(|running| running.thread.as_ref().map(Thread::stopped)),
            ),
        );
        watch.wait();
        drop(watch);
        if please_stop.is_go() {
            // The tree hands its stop down to every child with its reason;
            // the same reason here, for any child it has not reached yet.
            stop_all(&me, &mut group, please_stop.reason());
            return Ok(());
        }
        let Some(index) = group.iter().position(|running| {
            running
                .thread
                .as_ref()
                .is_some_and(|thread| thread.stopped().is_go())
        }) else {
            continue;
        };
        let thread = group[index].thread.take().expect("found running above");
        let path: Arc<str> = thread.path().into();
        let ended = match thread.join() {
            Ok(()) => Ended::Normally,
            Err(error) if error.is_stopped() => Ended::Normally,
            Err(error) => Ended::Failed(error),
        };
        let restart = matches!(
            (&ended, group[index].spec.restart),
            (_, Restart::Permanent) | (Ended::Failed(_), Restart::Transient)
        );
        if !restart {
            if let Ended::Failed(error) = &ended {
                report!(Error, "more_threads::supervisor", about: (error.name(), error.path()),
                    "{error:#} (a temporary child of {}: not restarted)", me.path);
            }
            if group[index].spec.significant {
                let why = StopReason::SupervisorEnded {
                    supervisor: me.path.clone(),
                    why: format!("its significant child {path} ended").into(),
                };
                stop_all(&me, &mut group, Some(why));
                return Ok(());
            }
            continue;
        }
        let how: Arc<str> = match &ended {
            Ended::Normally => "ended".into(),
            Ended::Failed(error) => format!("failed: {}", summary(error)).into(),
        };
        let now = Instant::now();
        while recent
            .front()
            .is_some_and(|at| now.duration_since(*at) >= spec.within)
        {
            recent.pop_front();
        }
        if recent.len() >= spec.max_restarts as usize {
            let why = StopReason::SupervisorEnded {
                supervisor: me.path.clone(),
                why: format!(
                    "{path} {how}, past its intensity (at most {} restarts within {:.0?})",
                    spec.max_restarts, spec.within
                )
                .into(),
            };
            // Until it has stopped its children and failed, health() says so.
            let _unhealthy = {
                let said = format!(
                    "supervisor {} gives up: {path} {how}, past its intensity (at most {} restarts within {:.0?})",
                    me.path, spec.max_restarts, spec.within
                );
                crate::health::add_check(move || Some(said.clone()))
            };
            stop_all(&me, &mut group, Some(why));
            return Err(match ended {
                Ended::Failed(error) => Box::new(error),
                Ended::Normally => format!(
                    "{path} ended, past the intensity of {} (at most {} restarts within {:.0?})",
                    me.path, spec.max_restarts, spec.within
                )
                .into(),
            });
        }
        recent.push_back(now);
        restarts += 1;
        let again: Vec<usize> = match spec.strategy {
            Strategy::OneForOne => vec![index],
            Strategy::OneForAll => everyone.clone(),
            Strategy::RestForOne => (index..group.len()).collect(),
        };
        let reason = StopReason::SupervisorRestart {
            supervisor: me.path.clone(),
            because_of: path.clone(),
            ended: how.clone(),
            all: spec.strategy == Strategy::OneForAll,
        };
        // A child that ended and was not restarted (temporary, or
        // transient that returned) stays ended: only running ones restart.
        let again: Vec<usize> = again
            .into_iter()
            .filter(|&at| at == index || group[at].thread.is_some())
            .collect();
        stop_youngest_first(&me, &mut group, &again, &reason);
        report!(Warn, "more_threads::supervisor", about: (&*me.name, &*me.path),
            "{} restarts {} (restart {restarts}, at most {} within {:.0?}): {path} {how}",
            me.path,
            Names(&group, &again),
            spec.max_restarts,
            spec.within);
        me.set_note(note(spec.strategy, restarts));
        if !spec.backoff.is_zero() {
            let over = Till::after(spec.backoff);
            (please_stop | &over).wait();
        }
        if please_stop.is_go() {
            stop_all(&me, &mut group, please_stop.reason());
            return Ok(());
        }
        for &at in &again {
            group[at].restarts += 1;
        }
        if let Err(error) = start(&mut group, &again) {
            stop_all(&me, &mut group, None);
            return Err(Box::new(error));
        }
    }
}

/// Starts the children at `which`, in their order.
fn start(group: &mut [Running], which: &[usize]) -> Result<(), ThreadError> {
    for &at in which {
        let running = &mut group[at];
        let factory = running.spec.factory.clone();
        let restarts = running.restarts;
        let thread = Thread::builder(&*running.spec.name).spawn(move |please_stop: &Signal| {
            // Before the factory: whatever it does, the dump counts right.
            current::current().restarted_before(restarts);
            factory(please_stop)
        })?;
        running.thread = Some(thread);
    }
    Ok(())
}

/// Stops the running children at `which` youngest first with `reason`,
/// one at a time: each is stopped and waited for before the next is (as
/// OTP shuts children down), so a child may use those older than itself
/// until it ends. A failure other than a quiet stop is logged.
fn stop_youngest_first(me: &Node, group: &mut [Running], which: &[usize], reason: &StopReason) {
    for &at in which.iter().rev() {
        if let Some(thread) = group[at].thread.take() {
            thread.thread_ref().node().stop_because(reason.clone());
            if let Err(error) = thread.join() {
                if !error.is_stopped() {
                    report!(Error, "more_threads::supervisor", about: (error.name(), error.path()),
                        "{error:#} (while {} stopped it)", me.path);
                }
            }
        }
    }
}

/// Stops every running child youngest first, with `reason` if given (else
/// they were stopped with the supervisor), and waits for them.
fn stop_all(me: &Node, group: &mut [Running], reason: Option<StopReason>) {
    let everyone: Vec<usize> = (0..group.len()).collect();
    let reason = reason.unwrap_or_else(|| StopReason::ParentEnded {
        parent: me.path.clone(),
    });
    stop_youngest_first(me, group, &everyone, &reason);
}

/// What the dump says of a supervisor: `one_for_all supervisor, 2 restarts`.
fn note(strategy: Strategy, restarts: u32) -> String {
    let plural = if restarts == 1 { "" } else { "s" };
    format!("{strategy} supervisor, {restarts} restart{plural}")
}

/// A failure on one line, for a stop reason.
fn summary(error: &ThreadError) -> Arc<str> {
    let text = match std::error::Error::source(error) {
        Some(cause) => cause.to_string(),
        None => error.to_string(),
    };
    one_line(&text)
}

/// `main/sup/a, main/sup/b`: the children a restart starts again.
struct Names<'a>(&'a [Running], &'a [usize]);

impl fmt::Display for Names<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, &at) in self.1.iter().enumerate() {
            let lead = if n == 0 { "" } else { ", " };
            write!(f, "{lead}{}", self.0[at].spec.name)?;
        }
        Ok(())
    }
}
