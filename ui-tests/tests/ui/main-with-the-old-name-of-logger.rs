// `stderr_logger` was the old name of `logger`; it is gone, and the message
// lists the options there are.
#[more_threads::main(stderr_logger = false)]
fn main() {}
