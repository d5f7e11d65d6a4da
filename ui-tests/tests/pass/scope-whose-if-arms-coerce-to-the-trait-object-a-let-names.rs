//! The arms of an `if` at the block's end coerce to the `Box<dyn Shape>` a
//! `let` names, as they do in a plain block: the expected type reaches the
//! block's value.
#![deny(warnings)]

use more_threads::prelude::*;

trait Shape {
    fn area(&self) -> f64;
}

struct Square(f64);
struct Circle(f64);

impl Shape for Square {
    fn area(&self) -> f64 {
        self.0 * self.0
    }
}

impl Shape for Circle {
    fn area(&self) -> f64 {
        3.0 * self.0 * self.0
    }
}

fn main() {
    for round in [true, false] {
        let plain: Box<dyn Shape> = {
            let side = 2.0_f64;
            if round {
                Box::new(Circle(1.0))
            } else {
                Box::new(Square(side))
            }
        };
        let scoped: Box<dyn Shape> = scope! {
            let side = spawn "side" => |_please_stop| 2.0_f64;
            let side = side.join().unwrap();
            if round {
                Box::new(Circle(1.0))
            } else {
                Box::new(Square(side))
            }
        };
        assert_eq!(plain.area(), scoped.area());
    }
}
