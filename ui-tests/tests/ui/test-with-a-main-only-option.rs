#[more_threads::test(handle_signals = false)]
fn checks_something() {}

fn main() {}
