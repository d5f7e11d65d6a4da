#[more_threads::main(shutdown_deadline = "soon")]
fn main() {}
