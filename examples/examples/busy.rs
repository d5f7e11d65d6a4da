//! A busy service to stop: N threads (2,000 unless told) at work on queues
//! and a lock until SIGINT or SIGTERM, each logging its last line as it
//! stops; the shutdown test of the reliability section runs it.
//!
//! ```text
//! cargo run --release --example busy -- [THREADS]
//! ```
//!
//! A quarter of the threads produce items onto 8 queues, a quarter consume
//! them, a quarter take turns on one Lock, a quarter wait on Tills; main
//! prints `ready` when every one has started, and waits for the signal.

use more_threads::prelude::*;
use more_threads::{Lock, Queue, main_thread::ShutdownSignals, wait_for_shutdown_signal};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

#[more_threads::main(shutdown_deadline = 60)]
fn main() -> Result<(), ThreadError> {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|text| text.parse().ok())
        .unwrap_or(2000);
    let queues: Vec<Queue<u64>> = (0..8)
        .map(|index| {
            Queue::builder(format!("work-{index}"))
                .bounded(1024)
                .build()
        })
        .collect();
    let shared = Arc::new(Lock::named("shared", 0_u64));
    let started = Arc::new(AtomicUsize::new(0));
    let began = Instant::now();
    for index in 0..count {
        let queue = queues[index % queues.len()].clone();
        let (shared, started) = (shared.clone(), started.clone());
        Thread::run(&format!("worker-{index}"), move |please_stop| {
            started.fetch_add(1, Ordering::Relaxed);
            let mut done = 0_u64;
            while !please_stop.is_go() {
                match index % 4 {
                    0 => {
                        if queue.add_till(done, please_stop).is_ok() {
                            done += 1;
                        }
                    }
                    1 => {
                        if queue.pop_till(please_stop).is_ok() {
                            done += 1;
                        }
                    }
                    2 => {
                        *shared.lock() += 1;
                        done += 1;
                        (please_stop | Till::seconds(0.001)).wait();
                    }
                    _ => {
                        (please_stop | Till::seconds(0.01)).wait();
                        done += 1;
                    }
                }
            }
            log::info!(target: "busy", "worker-{index} stopping after {done} turns");
        })?
        .release();
    }
    while started.load(Ordering::Relaxed) < count {
        Till::seconds(0.001).wait();
    }
    println!("ready: {count} threads started in {:.0?}", began.elapsed());
    let cause = wait_for_shutdown_signal(ShutdownSignals::new());
    println!("busy: woken by {cause:?}");
    Ok(())
}
