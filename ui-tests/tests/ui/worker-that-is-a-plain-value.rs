// Thread::run takes a worker, not the value a worker would compute.
use more_threads::Thread;

fn main() {
    let _ = Thread::run("eager", 42_u8);
}
