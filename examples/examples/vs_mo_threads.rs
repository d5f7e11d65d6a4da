//! The five workloads of `bench/mo-threads/run`, on more-threads: the same
//! work as `bench/mo-threads/workloads.py` does on mo-threads, printed the
//! same way (`name<TAB>value<TAB>unit`), so that the script can put the two
//! side by side.
//!
//! ```text
//! cargo run --release --example vs_mo_threads
//! ```

use more_threads::prelude::*;
use more_threads::{Queue, dump};
use std::time::{Duration, Instant};

fn report(name: &str, value: f64, unit: &str) {
    println!("{name}\t{value:.6}\t{unit}");
}

fn millis(elapsed: Duration) -> f64 {
    elapsed.as_secs_f64() * 1e3
}

/// A xorshift64, as the Python side uses `random.seed(7)`: the same kind
/// of spread of delays, not the same numbers.
struct Rng(u64);

impl Rng {
    fn uniform(&mut self, low: f64, high: f64) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        low + (high - low) * (self.0 % 1_000_000) as f64 / 1e6
    }
}

fn spawn_join() -> Result<(), ThreadError> {
    let started = Instant::now();
    for index in 0..200 {
        Thread::run(&format!("t{index}"), |_| ())?.join()?;
    }
    report("200 threads, run + join", millis(started.elapsed()), "ms");
    Ok(())
}

fn ping_pong() -> Result<(), ThreadError> {
    const ROUNDS: usize = 2000;
    let pings: Vec<Signal> = (0..ROUNDS).map(|_| Signal::new()).collect();
    let pongs: Vec<Signal> = (0..ROUNDS).map(|_| Signal::new()).collect();
    let other = {
        let (pings, pongs) = (pings.clone(), pongs.clone());
        Thread::run("pong", move |_| {
            for (ping, pong) in pings.iter().zip(&pongs) {
                ping.wait();
                pong.go();
            }
        })?
    };
    let started = Instant::now();
    for (ping, pong) in pings.iter().zip(&pongs) {
        ping.go();
        pong.wait();
    }
    let elapsed = started.elapsed();
    other.join()?;
    report("Signal ping-pong, 2,000 round trips", millis(elapsed), "ms");
    Ok(())
}

fn queue_1_to_1() -> Result<(), ThreadError> {
    const ITEMS: u64 = 200_000;
    let queue: Queue<u64> = Queue::new("items");
    let started = Instant::now();
    let consumer = {
        let queue = queue.clone();
        Thread::run("consumer", move |please_stop| {
            for _ in 0..ITEMS {
                let _ = queue.pop_till(please_stop);
            }
        })?
    };
    for item in 0..ITEMS {
        let _ = queue.add(item);
    }
    consumer.join()?;
    report(
        "Queue, 200,000 items 1 -> 1",
        millis(started.elapsed()),
        "ms",
    );
    Ok(())
}

fn till_lateness() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut late: Vec<f64> = (0..100)
        .map(|_| {
            let delay = Duration::from_secs_f64(rng.uniform(0.001, 0.050));
            let due = Instant::now() + delay;
            Till::at(due).wait();
            millis(due.elapsed())
        })
        .collect();
    late.sort_by(f64::total_cmp);
    report(
        "100 Tills at 1-50 ms, lateness p50",
        late[late.len() / 2],
        "ms",
    );
    report(
        "100 Tills at 1-50 ms, lateness p99",
        late[late.len() * 99 / 100 - 1],
        "ms",
    );
}

fn stop_join() -> Result<(), ThreadError> {
    let threads: Vec<Thread<()>> = (0..100)
        .map(|index| Thread::run(&format!("blocked{index}"), |please_stop| please_stop.wait()))
        .collect::<Result<_, _>>()?;
    // Every one is in its wait: the dump says so.
    while dump()
        .threads()
        .filter(|entry| {
            entry.name().starts_with("blocked") && entry.state().starts_with("blocked on Signal")
        })
        .count()
        < 100
    {
        Till::seconds(0.001).wait();
    }
    let started = Instant::now();
    for thread in &threads {
        thread.stop();
    }
    for thread in threads {
        thread.join()?;
    }
    report(
        "stop and join 100 threads blocked on please_stop",
        millis(started.elapsed()),
        "ms",
    );
    Ok(())
}

#[more_threads::main]
fn main() -> Result<(), ThreadError> {
    spawn_join()?;
    ping_pong()?;
    queue_1_to_1()?;
    till_lateness();
    stop_join()
}
