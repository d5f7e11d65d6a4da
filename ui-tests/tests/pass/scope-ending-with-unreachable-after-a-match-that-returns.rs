//! A `match` whose every arm returns, then `unreachable!()` with its `;`
//! as the block's last statement.
#![deny(warnings)]

use more_threads::prelude::*;

fn plain(code: u16) -> &'static str {
    {
        match code / 100 {
            2 => return "ok",
            4 => return "client",
            _ => return "other",
        }
        #[allow(unreachable_code)]
        {
            unreachable!();
        }
    }
}

fn scoped(code: u16) -> &'static str {
    scope! {
        let class = spawn "class" => move |_please_stop| code / 100;
        match class.join().unwrap() {
            2 => return "ok",
            4 => return "client",
            _ => return "other",
        }
        #[allow(unreachable_code)]
        {
            unreachable!();
        }
    }
}

fn main() {
    for code in [200, 404, 500] {
        assert_eq!(plain(code), scoped(code));
    }
}
