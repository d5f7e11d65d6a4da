//! A block in a trait's default method, generic over `Self`: the children
//! call other methods of the trait on `&self`.
#![deny(warnings)]

use more_threads::prelude::*;

trait Measured: Sync {
    fn parts(&self) -> Vec<u32>;

    fn doubled_total(&self) -> u32 {
        scope! {
            let parts = spawn "parts" => |_please_stop| self.parts();
            parts.join().unwrap().iter().map(|p| p * 2).sum()
        }
    }
}

struct Fence(Vec<u32>);

impl Measured for Fence {
    fn parts(&self) -> Vec<u32> {
        self.0.clone()
    }
}

fn main() {
    let fence = Fence(vec![2, 3, 5]);
    let plain: u32 = fence.parts().iter().map(|p| p * 2).sum();
    assert_eq!(plain, fence.doubled_total());
}
