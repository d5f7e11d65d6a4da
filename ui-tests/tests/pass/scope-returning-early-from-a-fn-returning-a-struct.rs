//! `return Stats { .. }` inside the block of a fn returning a struct of the
//! user's, and `return Stats::default()`.
#![deny(warnings)]

use more_threads::prelude::*;

#[derive(Debug, Default, PartialEq)]
struct Stats {
    count: usize,
    mean: f64,
}

fn plain(samples: &[f64]) -> Stats {
    {
        if samples.is_empty() {
            return Stats::default();
        }
        if samples.len() == 1 {
            return Stats {
                count: 1,
                mean: samples[0],
            };
        }
        let sum: f64 = samples.iter().sum();
        Stats {
            count: samples.len(),
            mean: sum / samples.len() as f64,
        }
    }
}

fn scoped(samples: &[f64]) -> Stats {
    scope! {
        if samples.is_empty() {
            return Stats::default();
        }
        if samples.len() == 1 {
            return Stats { count: 1, mean: samples[0] };
        }
        let sum = spawn "sum" => |_please_stop| samples.iter().sum::<f64>();
        Stats { count: samples.len(), mean: sum.join().unwrap() / samples.len() as f64 }
    }
}

fn main() {
    for samples in [&[][..], &[2.5][..], &[1.0, 2.0, 6.0][..]] {
        assert_eq!(plain(samples), scoped(samples));
    }
}
