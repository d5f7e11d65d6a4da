// The repro of a use-after-free in the guard-based scope!: an `.await`
// hidden in a macro, and the future forgotten while suspended. The block
// now runs as a closure, so rustc itself refuses the `.await`.
use more_threads::prelude::*;

macro_rules! hidden_await {
    ($e:expr) => {
        $e.await
    };
}

async fn pending_once() {}

async fn read_later(data: Vec<u8>) -> usize {
    scope! {
        spawn "reader" => |_please_stop| data.len();
        hidden_await!(pending_once());
        0
    }
}

fn main() {
    std::mem::forget(read_later(vec![1, 2, 3]));
}
