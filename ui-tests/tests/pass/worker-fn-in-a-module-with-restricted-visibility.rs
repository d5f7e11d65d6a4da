//! A `pub(crate)` `#[worker]` fn in a module, called through its path from
//! `main`: the visibility is kept.
#![deny(warnings)]

use more_threads::prelude::*;

mod stats {
    use more_threads::prelude::*;

    /// The mean of some samples, or `None` for none.
    #[worker]
    pub(crate) fn mean(samples: &[f64]) -> Option<f64> {
        if samples.is_empty() {
            return None;
        }
        Some(samples.iter().sum::<f64>() / samples.len() as f64)
    }
}

fn main() {
    let samples = [1.0, 2.0, 6.0];
    let scoped = scope! {
        let mean = spawn "mean" => stats::mean(&samples);
        let none = spawn "none" => stats::mean(&[]);
        (mean.join().unwrap(), none.join().unwrap())
    };
    assert_eq!(scoped, (Some(3.0), None));
}
