//! [`Iter`]: popping until the queue is closed and drained, or asked to stop.

use super::channel::Queue;
use super::gate::Now;
use crate::signal::Signal;
use crate::signal::wait::with_receiver;
use std::fmt;

/// Pops items until the queue is closed and drained or `please_stop` goes;
/// made by [`Queue::iter`] or [`Queue::iter_till`].
///
/// ```
/// use more_threads::{Queue, Signal};
///
/// let queue = Queue::new("q");
/// queue.add('a').unwrap();
/// queue.close();
/// let please_stop = Signal::new();
/// let mut items = queue.iter_till(&please_stop);
/// assert_eq!(items.next(), Some('a'));
/// assert_eq!(items.next(), None);
/// ```
pub struct Iter<'a, T> {
    queue: &'a Queue<T>,
    please_stop: Signal,
}

impl<'a, T> Iter<'a, T> {
    pub(super) fn new(queue: &'a Queue<T>, please_stop: Signal) -> Iter<'a, T> {
        Iter { queue, please_stop }
    }
}

impl<T> Iterator for Iter<'_, T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        if self.please_stop.is_go() {
            return None;
        }
        match self.queue.pop_now() {
            Now::Item(item) => Some(item),
            Now::Drained => None,
            Now::Empty => {
                let please_stop = &self.please_stop;
                if let Some(popped) = self.queue.pop_spinning(please_stop) {
                    return popped.ok();
                }
                // An item is returned even if please_stop went meanwhile: it
                // is taken, and dropping it would lose it. The next call ends.
                with_receiver(please_stop, |stopped| self.queue.pop_blocking(stopped)).ok()
            }
        }
    }
}

impl<T> fmt::Debug for Iter<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Iter")
            .field("queue", self.queue)
            .field("please_stop", &self.please_stop)
            .finish()
    }
}
