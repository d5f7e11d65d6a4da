//! `break 'drain` out of a labeled `while let` loop from a block in it, and
//! `continue 'drain` to its next pop.
#![deny(warnings)]

use more_threads::prelude::*;

fn plain(mut stack: Vec<i32>) -> (Vec<i32>, Vec<i32>) {
    let mut seen = Vec::new();
    'drain: while let Some(top) = stack.pop() {
        {
            if top == 0 {
                continue 'drain;
            }
            if top < 0 {
                break 'drain;
            }
            seen.push(top);
        }
    }
    (seen, stack)
}

fn scoped(mut stack: Vec<i32>) -> (Vec<i32>, Vec<i32>) {
    let mut seen = Vec::new();
    'drain: while let Some(top) = stack.pop() {
        scope! {
            let top = spawn "top" => move |_please_stop| top;
            let top = top.join().unwrap();
            if top == 0 {
                continue 'drain;
            }
            if top < 0 {
                break 'drain;
            }
            seen.push(top);
        }
    }
    (seen, stack)
}

fn main() {
    let stack = vec![5, -1, 3, 0, 2];
    assert_eq!(plain(stack.clone()), scoped(stack));
}
