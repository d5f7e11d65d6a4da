//! A block in a `&self` method: children borrow `self`'s fields, and a
//! `return` leaves the method.
#![deny(warnings)]

use more_threads::prelude::*;

struct Library {
    titles: Vec<String>,
    loans: Vec<usize>,
}

impl Library {
    fn plain_busiest(&self) -> Option<&str> {
        {
            if self.loans.is_empty() {
                return None;
            }
            let best = (0..self.loans.len()).max_by_key(|&i| self.loans[i])?;
            Some(self.titles[best].as_str())
        }
    }

    fn busiest(&self) -> Option<&str> {
        scope! {
            if self.loans.is_empty() {
                return None;
            }
            let best = spawn "best" => |_please_stop| (0..self.loans.len()).max_by_key(|&i| self.loans[i]);
            let best = best.join().unwrap()?;
            Some(self.titles[best].as_str())
        }
    }
}

fn main() {
    let library = Library {
        titles: vec!["Dune".into(), "Emma".into()],
        loans: vec![3, 8],
    };
    assert_eq!(library.plain_busiest(), library.busiest());
    let empty = Library {
        titles: vec![],
        loans: vec![],
    };
    assert_eq!(empty.plain_busiest(), empty.busiest());
}
