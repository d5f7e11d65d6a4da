// A `#[worker]` fn makes its worker when called: naming it without the call
// is refused at the name, saying to call it (rustc alone said only "function
// is expected to take 1 argument, but it takes 0 arguments").
use more_threads::prelude::*;

#[worker]
fn crawl(pages: u32) -> u32 {
    let _ = please_stop;
    pages
}

fn main() {
    scope! {
        spawn "crawler" => crawl;
    };
}
