//! A block that starts with an inner attribute of its own,
//! `#![allow(unused_variables)]`, keeps it, as a plain block does: it is
//! not scope!'s, and stays at the top of the block, over each of its
//! statements (a worker's closure too), whether the block has ways out or
//! not.
#![deny(warnings)]

use more_threads::prelude::*;

/// A block with a way out (`?`).
fn total_length(words: &[&str]) -> Result<usize, ThreadError> {
    let total = scope! {
        #![allow(unused_variables)]
        let unused = words.len();
        let counted = spawn "count" => |_please_stop| {
            let also_unused = 0;
            words.iter().map(|word| word.len()).sum::<usize>()
        };
        counted.join()?
    };
    Ok(total)
}

fn main() {
    // The plain block, as a statement (where rustc takes an inner attribute).
    let mut plain = 0;
    {
        #![allow(unused_variables)]
        let unused = 1;
        plain += 3;
    }
    // A block whose only way out is its end, with a `cfg_attr` too.
    let scoped = scope! {
        #![allow(unused_variables)]
        #![cfg_attr(all(), allow(unused_mut))]
        let unused = 1;
        let mut never_changed = 3;
        let three = spawn "three" => move |_please_stop| never_changed;
        three.join().unwrap()
    };
    assert_eq!(plain, scoped);
    assert_eq!(total_length(&["a", "bc"]).unwrap(), 3);
}
