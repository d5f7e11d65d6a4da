//! Variables and bindings of the user's named `spawn` where an expression
//! begins, followed by what may follow a variable: the head of an `if let`
//! or a `while` (whose block is no spawn's: `if let Some(n) = spawn { .. }`,
//! `while rounds < 1 || spawn { .. }`), a closure's parameter, `as`,
//! `let ... else`, a struct's field, a bitwise `|`.
#![deny(warnings)]

use more_threads::prelude::*;

struct Counter {
    spawn: u32,
}

fn plain(values: &[Option<u32>]) -> u32 {
    let mut total = 0;
    for value in values {
        let spawn = *value;
        if let Some(n) = spawn {
            total += n;
        }
        {
            let spawn = spawn.is_some();
            if total > 100 || spawn {
                total += 1;
            }
            let mut rounds = 0;
            while rounds < 1 || spawn {
                rounds += 1;
                if rounds > 2 {
                    break;
                }
            }
            total += rounds;
        }
        let Some(spawn) = spawn else { continue };
        let counter = Counter { spawn };
        total += counter.spawn + [1_u32, 2].iter().map(|spawn| spawn * 2).sum::<u32>();
        total += [3_u32].iter().map(move |spawn| spawn + counter.spawn).sum::<u32>();
        total += spawn | 1;
        total += spawn as u32;
    }
    total
}

fn scoped(values: &[Option<u32>]) -> u32 {
    scope! {
        let mut total = 0;
        for value in values {
            let spawn = *value;
            if let Some(n) = spawn {
                total += n;
            }
            {
                let spawn = spawn.is_some();
                if total > 100 || spawn {
                    total += 1;
                }
                let mut rounds = 0;
                while rounds < 1 || spawn {
                    rounds += 1;
                    if rounds > 2 {
                        break;
                    }
                }
                total += rounds;
            }
            let Some(spawn) = spawn else { continue };
            let counter = Counter { spawn };
            total += counter.spawn + [1_u32, 2].iter().map(|spawn| spawn * 2).sum::<u32>();
            total += [3_u32].iter().map(move |spawn| spawn + counter.spawn).sum::<u32>();
            total += spawn | 1;
            total += spawn as u32;
        }
        let child = spawn "child" => |_please_stop| 0_u32;
        total + child.join().unwrap()
    }
}

fn main() {
    let values = [Some(2_u32), None, Some(5)];
    assert_eq!(plain(&values), scoped(&values));
}
