//! Locals named `scope` and `release` (and a method named `release` of the
//! user's) keep their meaning inside the block.
#![deny(warnings)]

struct Lock {
    held: bool,
}

impl Lock {
    fn release(&mut self) -> bool {
        std::mem::replace(&mut self.held, false)
    }
}

fn main() {
    let scope = 7_u32;
    let mut lock = Lock { held: true };
    let plain = {
        let release = scope + 1;
        release * 2
    };
    let scoped = more_threads::scope! {
        let release = scope + 1;
        let child = spawn "child" => move |_please_stop| release * 2;
        assert!(lock.release());
        child.join().unwrap()
    };
    assert_eq!(plain, scoped);
    assert!(!lock.held);
}
