// more-threads is reached only as `mt` (`crate = "mt"`), and
// `::more_threads` is this crate, whose `Signal` and `Worker` are its own:
// the worker made despite the mistake is more-threads' `Worker`, taking its
// `Signal`, so the mistake's error is the only one.
extern crate more_threads as mt;
extern crate self as more_threads;

/// Not more-threads' `Signal`.
pub struct Signal;

/// Not more-threads' `Worker`.
pub trait Worker<T> {}

#[mt::worker(crate = "mt")]
unsafe fn count(limit: u32) -> u32 {
    let mut counted = 0;
    while counted < limit && !please_stop.is_go() {
        counted += 1;
    }
    counted
}

fn main() {
    let counter = mt::Thread::run("count", count(3)).unwrap();
    println!("{}", counter.join().unwrap());
}
