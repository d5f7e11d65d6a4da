// The mistake is reported once, at `async`, even where the worker is used.
use more_threads::prelude::*;

#[worker]
async fn fetch(url: String) -> usize {
    url.len()
}

fn main() {
    let fetcher = Thread::run("fetcher", fetch("https://example.org".into())).unwrap();
    let _ = fetcher.join();
}
