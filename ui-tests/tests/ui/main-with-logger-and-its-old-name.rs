#[more_threads::main(logger = true, stderr_logger = false)]
fn main() {}
