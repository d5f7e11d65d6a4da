//! A struct, an enum and their `impl` blocks declared inside the block;
//! the block's value is of the struct's type, used after it.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let readings = [3_i32, -7, 12];
    let summary = scope! {
        #[derive(Debug, PartialEq)]
        enum Sign {
            Negative,
            Positive,
        }

        #[derive(Debug)]
        struct Summary {
            sign: Sign,
            magnitude: i32,
        }

        impl Summary {
            fn of(total: i32) -> Self {
                let sign = if total < 0 { Sign::Negative } else { Sign::Positive };
                Summary { sign, magnitude: total.abs() }
            }

            fn is_positive(&self) -> bool {
                self.sign == Sign::Positive
            }
        }

        let total = spawn "total" => |_please_stop| readings.iter().sum::<i32>();
        Summary::of(total.join().unwrap())
    };
    assert!(summary.is_positive());
    assert_eq!(summary.magnitude, 8);
    assert_eq!(
        format!("{summary:?}"),
        "Summary { sign: Positive, magnitude: 8 }"
    );
}
