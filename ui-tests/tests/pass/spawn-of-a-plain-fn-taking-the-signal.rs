//! `spawn NAME => count_down` where `count_down` is an ordinary fn taking
//! `&Signal`: a fn item named without a call is a worker too.
#![deny(warnings)]

use more_threads::prelude::*;

fn count_down(please_stop: &Signal) -> u32 {
    let mut steps = 0;
    while steps < 5 && !please_stop.is_go() {
        steps += 1;
    }
    steps
}

struct Probe;

impl Probe {
    fn answer(_please_stop: &Signal) -> u8 {
        42
    }
}

fn main() {
    let (steps, answer) = scope! {
        let steps = spawn "count-down" => count_down;
        let answer = spawn "answer" => Probe::answer;
        (steps.join().unwrap(), answer.join().unwrap())
    };
    assert_eq!((steps, answer), (5, 42));
}
