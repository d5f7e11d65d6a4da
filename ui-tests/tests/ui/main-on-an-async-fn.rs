#[more_threads::main]
async fn main() {}
