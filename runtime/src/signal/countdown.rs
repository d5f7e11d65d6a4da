//! [`Countdown`]: a Signal that goes after N `go`s (mo-threads' `AndSignals`).

use super::Signal;
use crate::sync::{Arc, AtomicUsize, Ordering};
use std::borrow::Cow;
use std::fmt;

/// A Signal that goes once it has been told `go` a number of times: when N
/// workers have each said they are done, say. Clones share the count.
///
/// ```
/// use more_threads::{Thread, signal::Countdown};
///
/// let ready = Countdown::named("workers ready", 3);
/// let workers: Vec<_> = (0..3)
///     .map(|n| {
///         let ready = ready.clone();
///         Thread::run(&format!("worker-{n}"), move |please_stop| {
///             ready.go(); // this one is ready
///             please_stop.wait();
///         })
///     })
///     .collect::<Result<_, _>>()?;
/// ready.signal().wait(); // all three said so
/// assert_eq!(ready.left(), 0);
/// for worker in workers {
///     worker.stop();
///     worker.join()?;
/// }
/// # Ok::<(), more_threads::ThreadError>(())
/// ```
#[derive(Clone)]
pub struct Countdown {
    inner: Arc<Inner>,
}

struct Inner {
    left: AtomicUsize,
    done: Signal,
}

impl Countdown {
    /// A countdown from `count`; from 0, it has gone already.
    ///
    /// ```
    /// assert!(more_threads::signal::Countdown::new(0).signal().is_go());
    /// ```
    pub fn new(count: usize) -> Countdown {
        Countdown::with_signal(count, Signal::new())
    }

    /// A countdown from `count` whose Signal has a name.
    ///
    /// ```
    /// let shards = more_threads::signal::Countdown::named("shards", 2);
    /// assert_eq!(shards.signal().name(), Some("shards"));
    /// ```
    pub fn named(name: impl Into<Cow<'static, str>>, count: usize) -> Countdown {
        Countdown::with_signal(count, Signal::named(name))
    }

    fn with_signal(count: usize, done: Signal) -> Countdown {
        if count == 0 {
            done.go();
        }
        Countdown {
            inner: Arc::new(Inner {
                left: AtomicUsize::new(count),
                done,
            }),
        }
    }

    /// Counts one `go`; the Signal goes with the last. Returns whether this
    /// call made it go. More `go`s than the count do nothing.
    ///
    /// ```
    /// let two = more_threads::signal::Countdown::new(2);
    /// assert!(!two.go());
    /// assert!(two.go(), "the second one makes it go");
    /// assert!(!two.go(), "and later ones do nothing");
    /// ```
    pub fn go(&self) -> bool {
        let counted = self
            .inner
            .left
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |left| {
                left.checked_sub(1)
            });
        match counted {
            Ok(1) => self.inner.done.go(),
            _ => false,
        }
    }

    /// How many `go`s are still to come.
    ///
    /// ```
    /// let three = more_threads::signal::Countdown::new(3);
    /// three.go();
    /// assert_eq!(three.left(), 2);
    /// ```
    pub fn left(&self) -> usize {
        self.inner.left.load(Ordering::Acquire)
    }

    /// The Signal that goes with the last `go`: to wait on, combine, or hang
    /// a `then` on.
    ///
    /// ```
    /// let one = more_threads::signal::Countdown::new(1);
    /// let done = one.signal().clone();
    /// one.go();
    /// assert!(done.is_go());
    /// ```
    pub fn signal(&self) -> &Signal {
        &self.inner.done
    }
}

impl fmt::Debug for Countdown {
    /// `Countdown("shards", 2 left)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Countdown({:?}, {} left)",
            self.inner.done.to_string(),
            self.left()
        )
    }
}
