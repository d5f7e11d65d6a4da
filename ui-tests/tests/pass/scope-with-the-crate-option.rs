//! `#![crate = "path"]` at the top of the block, when more-threads is
//! reached through a re-export under another name.
#![deny(warnings)]

mod deps {
    pub use more_threads as threads;
}

fn main() {
    let values = [1_u32, 2, 3];
    let plain = { values.iter().sum::<u32>() };
    let scoped = more_threads::scope! {
        #![crate = "deps::threads"]
        let sum = spawn "sum" => |_please_stop| values.iter().sum::<u32>();
        if sum.join().unwrap() != plain {
            return;
        }
        plain
    };
    assert_eq!(plain, scoped);
}
