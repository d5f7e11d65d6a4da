// A worker made from `&self` borrows: it suits `scope!` and `.run()`, not
// `Thread::run`, whose thread may outlive the borrow.
use more_threads::prelude::*;

struct Index {
    pages: Vec<String>,
}

impl Index {
    #[worker]
    fn count(&self) -> usize {
        self.pages.len()
    }
}

fn main() {
    let index = Index { pages: Vec::new() };
    let _ = Thread::run("counter", index.count());
}
