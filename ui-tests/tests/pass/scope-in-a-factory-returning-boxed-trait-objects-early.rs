//! A factory fn returning `Box<dyn Shape>` returns boxes of two different
//! types from inside the block, each coerced to the fn's return type as a
//! plain `return` is.
#![deny(warnings)]

use more_threads::prelude::*;

trait Shape {
    fn sides(&self) -> u32;
}

struct Triangle;
struct Square;
struct Polygon(u32);

impl Shape for Triangle {
    fn sides(&self) -> u32 {
        3
    }
}

impl Shape for Square {
    fn sides(&self) -> u32 {
        4
    }
}

impl Shape for Polygon {
    fn sides(&self) -> u32 {
        self.0
    }
}

fn plain(sides: u32) -> Box<dyn Shape> {
    {
        if sides == 3 {
            return Box::new(Triangle);
        }
        if sides == 4 {
            return Box::new(Square);
        }
        Box::new(Polygon(sides))
    }
}

fn scoped(sides: u32) -> Box<dyn Shape> {
    scope! {
        let checked = spawn "check" => move |_please_stop| sides.max(3);
        let sides = checked.join().unwrap();
        if sides == 3 {
            return Box::new(Triangle);
        }
        if sides == 4 {
            return Box::new(Square);
        }
        Box::new(Polygon(sides))
    }
}

fn main() {
    for sides in [3, 4, 7] {
        assert_eq!(plain(sides).sides(), scoped(sides).sides());
    }
}
