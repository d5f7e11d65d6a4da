#[more_threads::main(profile = true)]
fn main() {}
