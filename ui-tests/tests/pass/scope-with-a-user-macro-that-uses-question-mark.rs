//! A `macro_rules!` of the user's whose expansion holds a `?` on an
//! `Option` (a lookup helper), in a fn returning `Option`.
#![deny(warnings)]

use more_threads::prelude::*;
use std::collections::HashMap;

macro_rules! lookup {
    ($map:expr, $key:expr) => {
        *$map.get($key)?
    };
}

fn plain(prices: &HashMap<&str, u32>, basket: &[&str]) -> Option<u32> {
    let total = {
        let mut total = 0;
        for item in basket {
            total += lookup!(prices, item);
        }
        total
    };
    Some(total)
}

fn scoped(prices: &HashMap<&str, u32>, basket: &[&str]) -> Option<u32> {
    let total = scope! {
        let count = spawn "count" => |_please_stop| basket.len();
        let mut total = 0;
        for item in basket {
            total += lookup!(prices, item);
        }
        assert_eq!(count.join().unwrap(), basket.len());
        total
    };
    Some(total)
}

fn main() {
    let prices = HashMap::from([("tea", 3), ("cake", 5)]);
    for basket in [&["tea", "cake"][..], &["tea", "beer"][..]] {
        assert_eq!(plain(&prices, basket), scoped(&prices, basket));
    }
}
