use more_threads::prelude::*;

#[worker]
fn crawl() -> u32 {
    7
}

fn main() {
    let pages = scope! {
        let crawler = spawn crawl();
        crawler.join().unwrap()
    };
    println!("{pages}");
}
