//! A crate that forbids `unsafe` uses `scope!` with `?`, `return` and
//! `break`: the expansion emits no `unsafe`, so this compiles and runs.
#![forbid(unsafe_code)]

use more_threads::prelude::*;

fn sum_or_bail(numbers: &[u32], bail_at: Option<usize>) -> Result<u32, ThreadError> {
    let total = scope! {
        let halves = numbers.split_at(numbers.len() / 2);
        let left = spawn "left" => |_please_stop| halves.0.iter().sum::<u32>();
        let right = spawn "right" => |_please_stop| halves.1.iter().sum::<u32>();
        if bail_at == Some(0) {
            return Ok(0);
        }
        left.join()? + right.join()?
    };
    Ok(total)
}

#[test]
fn scope_compiles_and_runs_in_a_crate_that_forbids_unsafe() {
    let numbers = [1, 2, 3, 4];
    assert_eq!(sum_or_bail(&numbers, None).unwrap(), 10);
    assert_eq!(sum_or_bail(&numbers, Some(0)).unwrap(), 0);
    let mut rounds = 0;
    loop {
        rounds += 1;
        scope! {
            let done = spawn "check" => move |_please_stop| rounds >= 3;
            if done.join().unwrap() {
                break;
            }
        }
    }
    assert_eq!(rounds, 3);
}
