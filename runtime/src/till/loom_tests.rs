//! A loom model of the timer's sweep request: drops racing a sweep never
//! leave the dead half of the heap unswept with nobody asked to sweep it.
//!
//! The timer is built small (swept from 4 entries) and without its thread;
//! the model runs what the thread runs when woken ([`turn`]), racing drops,
//! and at the end wakes it once more if a drop asked. The dead entries must
//! then be fewer than half of the heap. It fails (each shown by injecting the
//! bug into a scratch copy) if the sweep does not check again with the
//! length it published, if the store-buffering pair is `AcqRel` rather than
//! `SeqCst`, or if a drop reads the length before it counts itself (the
//! order this model found in the code it was written against).

use super::timer::loom_model::{dropped, entries, place, sweep_asked, timer, turn};
use crate::signal::Signal;
use loom::thread;
use std::sync::Arc;

#[test]
fn drops_racing_a_sweep_never_leave_the_dead_half_unswept() {
    loom::model(|| {
        let timer = Arc::new(timer(4));
        let mut tills: Vec<Signal> = (0..8).map(|_| Signal::new()).collect();
        for till in &tills {
            place(&timer, 1_000_000_000, till);
        }
        // Half of them die before the race: the timer thread is asked.
        for _ in 0..4 {
            drop(tills.pop());
            dropped(&timer, 1_000_000_000);
        }
        assert!(sweep_asked(&timer));
        let sweeper = {
            let timer = timer.clone();
            thread::spawn(move || turn(&timer))
        };
        // Two of the four left die while it sweeps, on a thread of their
        // own, so that loom may start them at any point of the sweep.
        let dropper = {
            let timer = timer.clone();
            let dying: Vec<Signal> = tills.drain(2..).collect();
            thread::spawn(move || {
                for till in dying {
                    drop(till);
                    dropped(&timer, 1_000_000_000);
                }
            })
        };
        sweeper.join().unwrap();
        dropper.join().unwrap();
        if sweep_asked(&timer) {
            turn(&timer);
        }
        let (len, dead) = entries(&timer);
        assert!(
            dead * 2 < len || len < 4,
            "{dead} of {len} entries dead, and no sweep asked for"
        );
    });
}
