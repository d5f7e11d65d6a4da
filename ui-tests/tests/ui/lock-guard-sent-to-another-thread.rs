// A LockGuard belongs to the thread that locked: the Lock tracks its holder to
// refuse re-locking, so the guard cannot be sent elsewhere.
use more_threads::Lock;

fn main() {
    let lock: &'static Lock<u32> = Box::leak(Box::new(Lock::named("counter", 0)));
    let guard = lock.lock();
    std::thread::spawn(move || drop(guard));
}
