use more_threads::prelude::*;

#[worker]
fn crawl() {}

fn main() {
    scope! {
        spawn crawl();
    };
}
