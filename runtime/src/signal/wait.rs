//! Sleeping until something is ready or a Signal goes, written once.
//!
//! Every blocking call of the crate takes a Signal to give up on (a `Till`,
//! `please_stop`, or both), and each has the same shape: look; if not ready
//! and the Signal has not gone, leave a wake-up on the Signal, sleep until
//! ready or gone, and take the wake-up back. [`Signal::on_go`] is that
//! wake-up, a guard that is taken back when dropped (on a panic too), and
//! [`sleep_until`] the whole wait for the sleepers that use a condition
//! variable: `Signal::wait_till`, `Queue::wait_empty` and the priority
//! queue's waits. The Lock (which parks its waiters one by one) uses
//! `on_go` with its own sleep; the queue's `Select` (which sleeps in
//! crossbeam) uses [`with_receiver`], a wake-up the thread keeps on the
//! Signal for its next waits on it.
//!
//! # Why no wake-up is lost
//!
//! The wake-up is registered *before* the sleeper's last look at the
//! Signal. A `go` that comes before the registration is seen by that look
//! (`go` sets the flag, Release, before it runs any callback; `is_go` is an
//! Acquire load). A `go` that comes after runs the wake-up, which reaches the
//! sleeper whenever it runs, because it is either
//!
//! * *ordered* after the sleeper's look: a condition variable's wake-up
//!   takes the sleeper's mutex before it notifies, and the sleeper looks at
//!   the Signal under that mutex and releases it only by sleeping, so the
//!   notify finds it asleep or finds the look still to come; or
//! * *persistent*: a thread's unpark token (the Lock) or a disconnected
//!   channel (the queue's `Select`) stays set until the sleeper sees it.
//!
//! The wake-up holds the sleeper's state weakly: one that outlives the wait
//! (a `go` racing the unregistration) finds nothing and does nothing.
//!
//! Lock order: the wake-up is registered and unregistered with no lock of
//! the sleeper's held, because the sleeper's lock may itself be a Signal's
//! (`a.wait_till(&(a | b))`), and a combination that goes holds its own lock
//! while it unregisters from its inputs.

use super::{Inner, Signal};
use crate::sync::{Arc, Condvar, Mutex, Weak};
use crossbeam_channel::Receiver;
use std::cell::RefCell;

/// A wake-up left on a Signal by [`Signal::on_go`]: runs when the Signal
/// goes, unless this guard was dropped first.
pub(crate) struct OnGo<'a> {
    signal: &'a Signal,
    /// `None` when the Signal had already gone: nothing was registered.
    registration: Option<u64>,
}

impl Signal {
    /// Leaves `wake` on this Signal, to run on the thread that makes it go,
    /// until the guard is dropped. If the Signal has already gone, `wake` is
    /// dropped unrun (whatever it owns is dropped with it) and
    /// [`OnGo::went`] says so.
    pub(crate) fn on_go(&self, wake: impl FnOnce() + Send + 'static) -> OnGo<'_> {
        OnGo {
            signal: self,
            registration: self.register(Box::new(wake)).ok(),
        }
    }
}

impl OnGo<'_> {
    /// Whether the Signal had gone before the wake-up could be left on it.
    pub(crate) fn went(&self) -> bool {
        self.registration.is_none()
    }
}

impl Drop for OnGo<'_> {
    fn drop(&mut self) {
        if let Some(id) = self.registration {
            self.signal.inner.unregister(id);
        }
    }
}

/// Sleeps on the condition variable of `owner` (found by `parts`) until
/// `ready` gives a result, computed under the mutex, or `till` goes
/// (`None`); with no till, until `ready` does. `ready` is tried first, so a
/// till that has gone stops only a wait, never an operation that can
/// proceed. The mutex is released before this returns.
pub(crate) fn sleep_until<S, T, R>(
    owner: &Arc<S>,
    parts: fn(&S) -> (&Mutex<T>, &Condvar),
    till: Option<&Signal>,
    mut ready: impl FnMut(&mut T) -> Option<R>,
) -> Option<R>
where
    S: Send + Sync + 'static,
    T: 'static,
{
    let weak = Arc::downgrade(owner);
    // Declared before the guard, so dropped after it: unregistered with the
    // mutex released (see the lock order above).
    let _wake = till.map(|till| {
        till.on_go(move || {
            if let Some(owner) = weak.upgrade() {
                let (mutex, condvar) = parts(&owner);
                let _ordered = mutex.lock();
                condvar.notify_all();
            }
        })
    });
    let (mutex, condvar) = parts(owner);
    let mut guard = mutex.lock();
    loop {
        if let Some(result) = ready(&mut *guard) {
            return Some(result);
        }
        if till.is_some_and(Signal::is_go) {
            return None;
        }
        guard = condvar.wait(guard);
    }
}

/// A wake-up the calling thread left on a Signal and kept for its next wait
/// on the same Signal, so that a loop of waits on one Signal (a worker's
/// `please_stop`) registers once, not once a wait. Taken back when the
/// thread waits on another Signal, or ends.
struct Kept {
    signal: Weak<Inner>,
    registration: u64,
    receiver: Receiver<()>,
}

impl Drop for Kept {
    fn drop(&mut self) {
        if let Some(signal) = self.signal.upgrade() {
            signal.unregister(self.registration);
        }
    }
}

thread_local! {
    static KEPT: RefCell<Option<Kept>> = const { RefCell::new(None) };
}

/// Runs `f` with a receiver that is disconnected once `till` goes (for a
/// `Select`): the one this thread kept for `till`, or a new one, kept in
/// place of the one it kept for another Signal. The channel flavour of the
/// lost-wake-up argument above: a disconnect persists.
pub(crate) fn with_receiver<R>(till: &Signal, f: impl FnOnce(&Receiver<()>) -> R) -> R {
    if till.is_never() {
        return f(&crossbeam_channel::never());
    }
    let kept = KEPT.try_with(|kept| {
        let mut kept = kept.try_borrow_mut().ok()?;
        let same = kept.as_ref().is_some_and(|kept| {
            kept.signal.strong_count() > 0
                && std::ptr::eq(kept.signal.as_ptr(), Arc::as_ptr(&till.inner))
        });
        if !same {
            let (sender, receiver) = crossbeam_channel::bounded::<()>(0);
            // Gone already: the callback (and the sender) come back and are
            // dropped, so the receiver is ready at once; nothing to keep.
            let registration = till.register(Box::new(move || drop(sender))).ok()?;
            // Replacing the old one takes its wake-up back.
            *kept = Some(Kept {
                signal: Arc::downgrade(&till.inner),
                registration,
                receiver,
            });
        }
        kept.as_ref().map(|kept| kept.receiver.clone())
    });
    match kept.ok().flatten() {
        Some(receiver) => f(&receiver),
        // Gone, or no thread-local left (the thread is ending): a wake-up
        // for this wait alone.
        None => {
            let (sender, receiver) = crossbeam_channel::bounded::<()>(0);
            let _on_go = till.on_go(move || drop(sender));
            f(&receiver)
        }
    }
}
