//! Queues that move values between threads, and what is built on them.
//!
//! A channel is the right tool to hand work from producers to consumers, but
//! the questions around it are left to every program: how does a consumer
//! learn that no more work will come, without losing the items still in
//! flight? How does it stop waiting when it is asked to stop? [`Queue`]
//! answers both: [`close`](Queue::close) ends the queue while keeping every
//! item already added, and every blocking call takes a [`Signal`](crate::Signal) to give up
//! on, so `please_stop` and a [`Till`](crate::Till) compose with it.
//!
//! ```
//! use more_threads::{Queue, Thread};
//!
//! let words = Queue::new("words");
//! let counter = {
//!     let words = words.clone();
//!     // Ends when the queue is closed and drained, or when asked to stop.
//!     Thread::run("counter", move |please_stop| words.iter_till(please_stop).count())?
//! };
//! for word in "the quick brown fox".split(' ') {
//!     words.add(word)?;
//! }
//! words.close(); // no more words; the four added are still counted
//! assert_eq!(counter.join()?, 4);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Built on it, or beside it:
//!
//! * [`PriorityQueue`]: the same close and till semantics, popping the
//!   greatest item first, with [`push_front`](PriorityQueue::push_front);
//! * [`BatchQueue`](crate::BatchQueue): takes items one by one and hands them to a slow sink in
//!   batches, from its own thread, flushing on stop;
//! * [`ThreadPool`](crate::ThreadPool): a few named threads running the work they are given;
//! * [`Repeat`](crate::Repeat): a closure run on a schedule, on its own thread;
//! * [`Promise`](crate::Promise): a value set once and waited for, a Signal that carries a value.
//!
//! # Guarantees of `Queue`
//!
//! * **Nothing is lost or duplicated.** Each item added is popped exactly
//!   once, by some popper, unless the last clone of the queue is dropped
//!   with the item still inside (the item is then dropped with it).
//! * **Closing keeps what was added.** [`add`](Queue::add) either adds the
//!   item (it will be popped) or returns it inside [`AddError::Closed`]. An
//!   add that starts after [`close`](Queue::close) returned always fails; one
//!   racing `close` may go either way. Pops go on returning items after the
//!   close until the queue is drained, then return [`PopError::Closed`].
//! * **Order.** One producer's items are popped in the order it added them.
//!   Items from different producers interleave in no promised order. Among
//!   blocked poppers, which one gets the next item is not specified (no
//!   fairness promise, as in crossbeam-channel).
//! * **Never past a Signal.** A blocked [`pop_till`](Queue::pop_till),
//!   [`add_till`](Queue::add_till), [`wait_empty`](Queue::wait_empty) or
//!   [`iter_till`](Queue::iter_till) returns as soon as its Signal goes;
//!   [`pop`](Queue::pop), [`add`](Queue::add) and [`iter`](Queue::iter),
//!   given none, as soon as the calling thread's `please_stop` does. They
//!   sleep until woken and never poll. A blocked `add` (queue full) returns
//!   as soon as the queue is closed.
//! * **One spelling for giving up.** Every call that waits and can give up
//!   on a Signal ends in `_till` and takes it last, here as on
//!   [`Signal::wait_till`](crate::Signal::wait_till),
//!   [`Thread::join_till`](crate::Thread::join_till),
//!   [`Promise::wait_till`](crate::Promise::wait_till) and
//!   [`LockGuard::wait_till`](crate::lock::LockGuard::wait_till); the same
//!   call without it waits on the calling thread's `please_stop`, or for
//!   good.
//! * **Cost.** An add is crossbeam's send plus two atomic operations on
//!   the close gate's stripe of the calling thread (its own cache line, so
//!   producers do not contend for it); a pop that finds an item is
//!   crossbeam's receive plus one load. An add or pop that must wait spins
//!   briefly, as crossbeam's do, then sleeps: a pop with
//!   [`Signal::never`](crate::Signal::never) in crossbeam's own blocking
//!   receive; otherwise in a `Select` with a wake-up on the till, which the
//!   thread keeps on that till for its next waits on it (one per thread,
//!   not one per wait; taken back when it waits on another Signal, or ends).
//! * **Seen by the live console.** A queue registers once, when it is
//!   built, with the [console](crate::console), which lists it (name,
//!   length, bound, blocked adders and poppers) when it samples, from its
//!   own thread: its adds and pops do nothing for it. That is why items are
//!   `Send + 'static`.
//! * **Full-queue warning.** An adder that has waited on a full queue for
//!   10 s (or what [`QueueBuilder::warn_when_full`] says) is named in a
//!   `WARN` record, with the queue, once per wait.
//! * No push-to-front on `Queue`: a crossbeam channel is first-in first-out,
//!   and a second lane would tax every pop. [`PriorityQueue::push_front`]
//!   has it.

mod builder;
mod channel;
mod error;
mod full_warning;
mod gate;
mod iter;
mod priority;
mod unique;

#[cfg(all(test, not(loom)))]
mod contract;
#[cfg(all(test, loom))]
mod loom_tests;
#[cfg(all(test, not(loom)))]
mod tests;

pub use builder::QueueBuilder;
pub use channel::Queue;
pub use error::{AddError, ExtendError, PopError};
pub use iter::Iter;
pub use priority::PriorityQueue;
// The family's other members live beside the queue (a Promise is a
// primitive; the pool, the batcher and Repeat are workers fed by queues or
// clocks) and were first published here.
