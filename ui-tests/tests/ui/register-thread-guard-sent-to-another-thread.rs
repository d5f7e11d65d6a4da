// A RegisterThread guard registers the thread that made it; it cannot move.
use more_threads::RegisterThread;

fn main() {
    let guard = RegisterThread::new("alien");
    std::thread::spawn(move || drop(guard));
}
