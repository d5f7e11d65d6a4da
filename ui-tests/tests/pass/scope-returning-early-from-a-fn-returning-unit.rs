//! A bare `return;` inside the block of a fn returning `()`: the rest of
//! the fn does not run.
#![deny(warnings)]

use more_threads::prelude::*;

fn plain(values: &[u32], log: &mut Vec<String>) {
    {
        if values.is_empty() {
            log.push("nothing".to_owned());
            return;
        }
        log.push(format!("sum {}", values.iter().sum::<u32>()));
    }
    log.push("done".to_owned());
}

fn scoped(values: &[u32], log: &mut Vec<String>) {
    scope! {
        let sum = spawn "sum" => |_please_stop| values.iter().sum::<u32>();
        if values.is_empty() {
            log.push("nothing".to_owned());
            return;
        }
        log.push(format!("sum {}", sum.join().unwrap()));
    }
    log.push("done".to_owned());
}

fn main() {
    for values in [&[][..], &[1, 2][..]] {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        plain(values, &mut a);
        scoped(values, &mut b);
        assert_eq!(a, b);
    }
}
