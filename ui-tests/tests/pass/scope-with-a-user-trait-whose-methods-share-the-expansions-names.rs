//! A trait of the user's implemented for every type, with methods named
//! `spawn`, `release`, `join`, `value`, `branch`, `exit`, `carry` and
//! `is_err`: the expansion calls its helpers by path, so none answers.
#![deny(warnings)]

use more_threads::prelude::*;

trait Everything {
    fn spawn(&self, _name: &str, _worker: u8) -> u8 {
        0
    }
    fn release(&self) -> u8 {
        0
    }
    fn join(&self) -> u8 {
        0
    }
    fn value(&self) -> u8 {
        0
    }
    fn branch(&self) -> u8 {
        0
    }
    fn exit(&self) -> u8 {
        0
    }
    fn carry(&self, _ended: bool) -> u8 {
        0
    }
    fn is_err(&self) -> bool {
        true
    }
}

impl<T: ?Sized> Everything for T {}

fn plain(text: &str) -> Result<u32, std::num::ParseIntError> {
    let parsed = {
        let n: u32 = text.parse()?;
        if n == 0 {
            return Ok(100);
        }
        n * 2
    };
    Ok(parsed)
}

fn scoped(text: &str) -> Result<u32, std::num::ParseIntError> {
    let parsed = scope! {
        release spawn "idle" => |please_stop: &Signal| please_stop.wait();
        let doubled = spawn "double" => move |_please_stop| text.len() as u32;
        let n: u32 = text.parse()?;
        if n == 0 {
            return Ok(100);
        }
        assert_eq!(doubled.join().unwrap(), text.len() as u32);
        n * 2
    };
    Ok(parsed)
}

fn main() {
    for text in ["21", "0", "x"] {
        assert_eq!(plain(text), scoped(text));
    }
    assert_eq!(
        5_u8.value() + 5_u8.branch() + ().exit() + "x".carry(true),
        0
    );
    assert!(1.is_err());
    assert_eq!(().spawn("x", 1) + "y".release() + 2_u64.join(), 0);
}
