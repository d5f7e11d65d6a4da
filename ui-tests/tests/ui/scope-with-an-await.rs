use more_threads::prelude::*;

async fn later() {}

async fn run() {
    scope! {
        spawn "worker" => |please_stop: &Signal| please_stop.wait();
        later().await;
    };
}

fn main() {
    drop(run());
}
