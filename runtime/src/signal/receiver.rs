//! [`Signal::receiver`](super::Signal::receiver): a Signal as an arm of
//! `crossbeam_channel::select!`.
//!
//! A receiver is ready once it is disconnected, so the Signal only has to
//! drop the sending side when it goes. It keeps one channel for that, made
//! by the first call: every receiver is a clone of that channel's receiver,
//! and nothing is ever sent on it. A call costs a reference count and a
//! dropped receiver leaves nothing behind, so a `select!` loop may ask for
//! one on every turn. (A callback per call, dropping its own sender, was
//! kept until the Signal went: a loop over a long-lived `please_stop` grew
//! without bound.)

use crossbeam_channel::{Receiver, Sender};

/// The channel whose receivers are ready once the Signal went; kept in the
/// Signal's state, under its lock. Boxed, and made only when asked for, so
/// that the many Signals nobody selects on (every Till) pay one pointer.
#[derive(Debug, Default)]
pub(super) struct ReadyChannel(Option<Box<(Sender<()>, Receiver<()>)>>);

impl ReadyChannel {
    /// Another receiver of the channel, which is made by the first call.
    pub(super) fn receiver(&mut self) -> Receiver<()> {
        let channel = self
            .0
            .get_or_insert_with(|| Box::new(crossbeam_channel::bounded(0)));
        channel.1.clone()
    }

    /// The channel, taken out when the Signal goes: dropping it disconnects
    /// every receiver (and wakes every `select!` waiting on one).
    pub(super) fn take(&mut self) -> ReadyChannel {
        ReadyChannel(self.0.take())
    }
}

/// A receiver that is ready at once: of a Signal that has gone.
pub(super) fn ready() -> Receiver<()> {
    let (_sender, receiver) = crossbeam_channel::bounded(0);
    receiver
}
