//! Awaiting a Signal from async code: `please_stop.await`.
//!
//! An async server that lives beside a thread tree needs to hear the tree's
//! `please_stop`, or learn that a thread is done, without parking one of its
//! executor's threads in [`Signal::wait`]. So `&Signal` and `Signal` are
//! [`IntoFuture`]: the future, [`Wait`], is ready once the Signal goes. It is
//! std only: it leaves the task's [`Waker`] on the Signal, and `go` wakes it,
//! whatever the executor (tokio, async-std, smol, a hand-written `block_on`).
//!
//! # Why no wake-up is lost
//!
//! A poll that finds the Signal waiting leaves its waker in a slot of the
//! Signal's wakers *under the Signal's lock, after looking at the stage under
//! that lock*; `go` sets the stage to gone and takes the wakers out in one
//! critical section of the same lock. So either the registration comes
//! first, and `go` takes the waker and wakes it, or `go` does, and the poll
//! sees the Signal gone and returns `Ready`: never a waker left on a Signal
//! that has gone, never a pending future on a Signal that went unseen.
//!
//! A poll from a task that moved (a waker that would not wake the one left
//! before, by [`Waker::will_wake`]) writes the new waker over the old one in
//! the same slot, under the same lock and with the same look at the stage:
//! the same argument holds for the new waker. A poll with the waker left
//! before looks only at the stage (an Acquire load: `go` stores it with
//! Release): if the Signal went, `Ready`; if not, the slot holds a waker
//! that wakes this very task, so whatever `go` comes later wakes it. It
//! takes no lock, which is what a `select!` that polls a pinned
//! `please_stop` future on every turn costs.
//!
//! Dropping a pending future gives its slot back under the lock, unless the
//! Signal has gone (then `go` took the slot with all the others, and may
//! still wake the waker in it: a spurious wake-up, which every executor
//! accepts). So a Signal holds one waker per future pending *now*:
//! [`Signal::pending_wakers`] stays bounded however many futures a loop
//! makes and drops.
//!
//! # Why wakers run outside the lock
//!
//! `Waker::wake`, `Waker::clone` and dropping a `Waker` all run the
//! executor's code, and a waker may do anything there: poll the task at once
//! on this thread (some executors run a woken task inline), and the task may
//! go on to hang a `then` on this Signal or ask for its `receiver`; or drop
//! the last reference to a task whose future holds another `Wait` on this
//! Signal, pending. Each takes the Signal's lock, which is not reentrant: a
//! deadlock on this thread, were the lock held. So under the lock the wakers are only moved:
//! a poll clones its waker before it takes the lock and drops the waker it
//! replaced after letting it go; a drop lets go of the lock before the
//! removed waker is dropped; and `go` takes the wakers out under the lock
//! and wakes them after (as it runs its `then` callbacks), each under
//! `catch_unwind`, so a panicking waker is logged and the others still wake.

#[cfg(all(test, not(loom)))]
mod tests;

use super::{GONE, Inner, Signal};
use crate::sync::Ordering;
use std::borrow::Cow;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

/// The future of awaiting a [`Signal`]: ready once the Signal goes.
///
/// Made by `signal.await` (or `signal.into_future()`), from a `&Signal`
/// (`Wait<'_>`, borrowing it) or a `Signal` (`Wait<'static>`, owning it, for
/// a task that must be `'static`). It blocks no thread: a poll that finds
/// the Signal waiting leaves the task's waker on the Signal, and
/// [`go`](Signal::go) wakes it.
///
/// * **Ready once gone.** `go` happens-before the poll that returns `Ready`
///   (the same Acquire/Release as [`is_go`](Signal::is_go)). Polling again
///   after `Ready` returns `Ready` again: a Signal stays gone.
/// * **One waker, the latest.** A pending future keeps one slot on the
///   Signal, with the waker of its latest poll (a poll from another task
///   replaces it; one from the same task, by [`Waker::will_wake`], costs an
///   atomic load and no lock). A waker replaced may still be woken once,
///   spuriously, if `go` races the poll that replaced it.
/// * **Nothing left behind.** Dropping a pending future takes its waker off
///   the Signal, so a `select!` loop that makes a future on every turn keeps
///   [`pending_wakers`](Signal::pending_wakers) bounded by the futures
///   pending at once.
/// * **Tills and never.** The first poll of a [`Till`](crate::Till) puts it
///   on the timer, as a `wait` does. [`Signal::never`] is never ready and
///   keeps no waker.
///
/// ```
/// use more_threads::{Signal, signal::Wait};
/// use std::future::{Future, IntoFuture};
/// use std::pin::pin;
/// use std::task::{Context, Poll, Waker};
///
/// let please_stop = Signal::named("please_stop");
/// let mut stopped: Wait<'_> = (&please_stop).into_future();
/// let mut cx = Context::from_waker(Waker::noop());
/// assert_eq!(pin!(&mut stopped).poll(&mut cx), Poll::Pending);
/// assert_eq!(please_stop.pending_wakers(), 1, "the task's waker is on the Signal");
/// please_stop.go(); // wakes it
/// assert_eq!(pin!(&mut stopped).poll(&mut cx), Poll::Ready(()));
/// assert_eq!(please_stop.pending_wakers(), 0);
/// ```
#[must_use = "a future does nothing unless it is awaited or polled"]
pub struct Wait<'a> {
    signal: Cow<'a, Signal>,
    /// While registered: our slot among the Signal's wakers, and a clone of
    /// the waker left in it, to tell a poll from the same task without the
    /// lock.
    registered: Option<(usize, Waker)>,
}

impl<'a> IntoFuture for &'a Signal {
    type Output = ();
    type IntoFuture = Wait<'a>;

    /// A future ready once the Signal goes; `please_stop.await`.
    ///
    /// ```
    /// # fn block_on<F: std::future::Future>(future: F) -> F::Output {
    /// #     struct Unpark(std::thread::Thread);
    /// #     impl std::task::Wake for Unpark {
    /// #         fn wake(self: std::sync::Arc<Self>) { self.0.unpark() }
    /// #     }
    /// #     let waker = std::sync::Arc::new(Unpark(std::thread::current())).into();
    /// #     let mut cx = std::task::Context::from_waker(&waker);
    /// #     let mut future = std::pin::pin!(future);
    /// #     loop {
    /// #         match future.as_mut().poll(&mut cx) {
    /// #             std::task::Poll::Ready(out) => return out,
    /// #             std::task::Poll::Pending => std::thread::park(),
    /// #         }
    /// #     }
    /// # }
    /// use more_threads::Signal;
    ///
    /// let please_stop = Signal::named("please_stop");
    /// please_stop.go();
    /// block_on(async {
    ///     (&please_stop).await; // ready at once: it went
    /// });
    /// ```
    fn into_future(self) -> Wait<'a> {
        Wait {
            signal: Cow::Borrowed(self),
            registered: None,
        }
    }
}

impl IntoFuture for Signal {
    type Output = ();
    type IntoFuture = Wait<'static>;

    /// A future ready once the Signal goes, that owns it: for `(a |
    /// b).await`, or a task that must be `'static`.
    ///
    /// ```
    /// # fn block_on<F: std::future::Future>(future: F) -> F::Output {
    /// #     struct Unpark(std::thread::Thread);
    /// #     impl std::task::Wake for Unpark {
    /// #         fn wake(self: std::sync::Arc<Self>) { self.0.unpark() }
    /// #     }
    /// #     let waker = std::sync::Arc::new(Unpark(std::thread::current())).into();
    /// #     let mut cx = std::task::Context::from_waker(&waker);
    /// #     let mut future = std::pin::pin!(future);
    /// #     loop {
    /// #         match future.as_mut().poll(&mut cx) {
    /// #             std::task::Poll::Ready(out) => return out,
    /// #             std::task::Poll::Pending => std::thread::park(),
    /// #         }
    /// #     }
    /// # }
    /// use more_threads::{Signal, Till};
    ///
    /// let please_stop = Signal::named("please_stop");
    /// block_on(async {
    ///     // Wait a millisecond, but not a moment after we are asked to stop.
    ///     (&please_stop | Till::seconds(0.001)).await;
    /// });
    /// assert!(!please_stop.is_go(), "the till went");
    /// ```
    fn into_future(self) -> Wait<'static> {
        Wait {
            signal: Cow::Owned(self),
            registered: None,
        }
    }
}

impl Future for Wait<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // Every field is `Unpin`: the future is moved as it likes.
        let this = self.get_mut();
        if this.signal.is_go() {
            // `go` took our slot, if we had one, with all the others.
            this.registered = None;
            return Poll::Ready(());
        }
        if let Some((_, left)) = &this.registered {
            if left.will_wake(cx.waker()) {
                // The waker on the Signal wakes this task: `go` will.
                return Poll::Pending;
            }
        }
        if this.signal.is_never() {
            // Nothing could wake it: keep nothing on the one `never`.
            return Poll::Pending;
        }
        // Something waits on it now: a Till goes on its clock (or goes).
        this.signal.arm();
        let slot = this.registered.as_ref().map(|(slot, _)| *slot);
        // Cloned before the lock is taken: a clone runs the executor's code.
        let (kept, left) = (cx.waker().clone(), cx.waker().clone());
        match this.signal.inner.register_waker(slot, left) {
            Ok((slot, replaced)) => {
                let previous = this.registered.replace((slot, kept));
                // Dropped after the lock was let go, for the same reason.
                drop((replaced, previous));
                Poll::Pending
            }
            Err(_left) => {
                // It went since we looked; `_left` and `kept` drop here, unlocked.
                this.registered = None;
                Poll::Ready(())
            }
        }
    }
}

impl Drop for Wait<'_> {
    fn drop(&mut self) {
        let Some((slot, _kept)) = self.registered.take() else {
            return;
        };
        // Once gone, `go` took our slot with all the others: nothing to give
        // back (and its waker may still be woken, spuriously).
        if !self.signal.inner.is_go() {
            let removed = self.signal.inner.remove_waker(slot);
            // Dropped after the lock was let go: a drop runs the executor's code.
            drop(removed);
        }
    }
}

impl fmt::Debug for Wait<'_> {
    /// `Wait { signal: Signal("please_stop", waiting), registered: true }`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Wait")
            .field("signal", &*self.signal)
            .field("registered", &self.registered.is_some())
            .finish()
    }
}

impl Inner {
    /// Leaves `waker` in slot `slot` if given (a re-registration), or in a
    /// new slot, and returns the slot and the waker it replaced; hands
    /// `waker` back if the Signal has gone. Both are for the caller to drop
    /// once the lock is let go.
    fn register_waker(
        &self,
        slot: Option<usize>,
        waker: Waker,
    ) -> Result<(usize, Option<Waker>), Waker> {
        let mut state = self.state.lock();
        // Looked at under the lock `go` sets it under: see the module docs.
        if self.stage.load(Ordering::Relaxed) == GONE {
            return Err(waker);
        }
        Ok(state.wakers.register(slot, waker))
    }

    /// Takes the waker out of `slot`, giving the slot back, and returns it
    /// for the caller to drop once the lock is let go; `None` once the
    /// Signal has gone (`go` took every slot).
    fn remove_waker(&self, slot: usize) -> Option<Waker> {
        let mut state = self.state.lock();
        if self.stage.load(Ordering::Relaxed) == GONE {
            return None;
        }
        state.wakers.remove(slot)
    }
}
