// A worker's return value must say whether it failed: a Result, or a type
// that implements Outcome.
use more_threads::Thread;

struct Totals {
    words: usize,
}

fn main() {
    let _ = Thread::run("counter", |_| Totals { words: 0 });
}
