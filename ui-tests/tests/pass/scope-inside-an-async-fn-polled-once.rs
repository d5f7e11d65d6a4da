//! A `scope!` in an `async fn` (with no `.await` inside the block), whose
//! `return` leaves the async fn; the future is polled once with a no-op
//! waker.
#![deny(warnings)]

use more_threads::prelude::*;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

async fn plain(values: &[u32]) -> u32 {
    let total = {
        if values.is_empty() {
            return 0;
        }
        values.iter().sum::<u32>()
    };
    std::future::ready(total).await
}

async fn scoped(values: &[u32]) -> u32 {
    let total = scope! {
        if values.is_empty() {
            return 0;
        }
        let sum = spawn "sum" => |_please_stop| values.iter().sum::<u32>();
        sum.join().unwrap()
    };
    std::future::ready(total).await
}

fn poll_once<F: Future>(future: F) -> F::Output {
    let mut context = Context::from_waker(Waker::noop());
    match pin!(future).poll(&mut context) {
        Poll::Ready(value) => value,
        Poll::Pending => panic!("ready futures only"),
    }
}

fn main() {
    for values in [&[][..], &[1, 2, 3][..]] {
        assert_eq!(poll_once(plain(values)), poll_once(scoped(values)));
    }
}
