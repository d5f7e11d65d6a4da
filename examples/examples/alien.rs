//! Threads the runtime did not start, made part of the tree: std threads
//! (as a pool, a C library or rayon would make) registered with
//! `RegisterThread`, their children, and the dump that shows them all.
//!
//! ```text
//! cargo run --example alien
//! ```
//!
//! The main shutdown waits for registered threads before the process ends;
//! a thread that is never registered still gets a name on first use, with a
//! warning in the log.

use more_threads::RegisterThread;
use more_threads::prelude::*;

#[more_threads::main]
fn main() -> Result<(), ThreadError> {
    let ready = Signal::named("pool ready");
    let pool: Vec<_> = (0..3)
        .map(|index| {
            let ready = ready.clone();
            let stop = please_stop.clone();
            std::thread::Builder::new()
                .name(format!("pool-{index}"))
                .spawn(move || {
                    // This thread came from std: register it to join the tree.
                    let me = RegisterThread::new(format!("pool-{index}"));
                    let helper = Thread::run("helper", |please_stop| please_stop.wait())
                        .expect("a helper thread starts");
                    if index == 2 {
                        ready.go();
                    }
                    (me.thread().please_stop() | &stop).wait();
                    helper.stop();
                    helper.join().expect("the helper ends cleanly");
                    println!("pool-{index}: done");
                })
                .expect("a pool thread starts")
        })
        .collect();
    ready.wait();
    let unregistered = std::thread::Builder::new()
        .name("stranger".into())
        .spawn(|| Thread::current().path().to_owned())
        .expect("a std thread starts")
        .join()
        .expect("it returns");
    println!("alien: an unregistered thread is known as {unregistered}");
    {
        let _registered = RegisterThread::new("short-lived");
        println!("alien: {}", Thread::current().path());
    }
    // Let the pool threads get their helpers going, then draw the tree.
    while dump()
        .threads()
        .filter(|thread| thread.name() == "helper")
        .count()
        < 3
    {
        Till::seconds(0.001).wait();
    }
    println!("alien: the tree:\n{}", dump());
    please_stop.go();
    for thread in pool {
        thread.join().expect("a pool thread ends cleanly");
    }
    println!("alien: every registered thread is done");
    Ok(())
}
