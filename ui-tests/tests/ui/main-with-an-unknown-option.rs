#[more_threads::main(workers = 4)]
fn main() {}
