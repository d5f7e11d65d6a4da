//! In a `&mut self` method, a child reads `self.input` while the block
//! writes `self.log`: the closures capture the two fields apart.
#![deny(warnings)]

use more_threads::prelude::*;

struct Parser {
    input: Vec<&'static str>,
    log: Vec<String>,
}

impl Parser {
    fn run(&mut self) -> usize {
        scope! {
            let words = spawn "words" => |_please_stop| self.input.iter().map(|s| s.len()).sum::<usize>();
            self.log.push("started".to_owned());
            let words = words.join().unwrap();
            self.log.push(format!("{words} bytes"));
            words
        }
    }
}

fn main() {
    let mut parser = Parser {
        input: vec!["ab", "cde"],
        log: Vec::new(),
    };
    assert_eq!(parser.run(), 5);
    assert_eq!(parser.log, ["started", "5 bytes"]);
}
