//! [`Backoff`]: the brief, bounded wait before a blocking call sleeps.

/// Spins, then yields, a few times before a blocking call goes to sleep, as
/// crossbeam-channel's own `recv` and `send` do: most waits between busy
/// threads end within microseconds, and sleeping costs a system call on each side.
/// Bounded (about ten turns, well under the cost of one sleep), so it is not
/// polling: after it, the thread sleeps until woken.
#[derive(Default)]
pub(crate) struct Backoff {
    step: u32,
}

impl Backoff {
    const SPIN_STEPS: u32 = 6;
    const YIELD_STEPS: u32 = 10;

    /// Waits a little longer each turn; `false` once it is time to sleep.
    pub(crate) fn snooze(&mut self) -> bool {
        if self.step <= Self::SPIN_STEPS {
            for _ in 0..1 << self.step {
                std::hint::spin_loop();
            }
        } else if self.step <= Self::YIELD_STEPS {
            crate::sync::real::thread::yield_now();
        } else {
            return false;
        }
        self.step += 1;
        true
    }
}
