#[more_threads::main]
fn start() {}

fn main() {}
