//! `continue 'lines;` inside a block in an inner loop goes on with the
//! outer loop, skipping the rest of the line.
#![deny(warnings)]

use more_threads::prelude::*;

fn plain(lines: &[&str]) -> Vec<String> {
    let mut kept = Vec::new();
    'lines: for line in lines {
        for word in line.split_whitespace() {
            {
                if word.starts_with('#') {
                    continue 'lines;
                }
            }
        }
        kept.push(line.to_uppercase());
    }
    kept
}

fn scoped(lines: &[&str]) -> Vec<String> {
    let mut kept = Vec::new();
    'lines: for line in lines {
        for word in line.split_whitespace() {
            scope! {
                let comment = spawn "check" => move |_please_stop| word.starts_with('#');
                if comment.join().unwrap() {
                    continue 'lines;
                }
            }
        }
        kept.push(line.to_uppercase());
    }
    kept
}

fn main() {
    let lines = ["keep this", "drop #this", "and this"];
    assert_eq!(plain(&lines), scoped(&lines));
    assert_eq!(scoped(&lines), ["KEEP THIS", "AND THIS"]);
}
