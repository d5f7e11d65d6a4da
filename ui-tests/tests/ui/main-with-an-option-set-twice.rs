#[more_threads::main(handle_signals = true, handle_signals = false)]
fn main() {}
