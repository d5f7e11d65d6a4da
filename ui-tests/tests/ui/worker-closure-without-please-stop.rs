// A worker must take its thread's please_stop: a thread that cannot be asked
// to stop is refused at compile time.
use more_threads::Thread;

fn main() {
    let _ = Thread::run("forgetful", || 42_u8);
}
