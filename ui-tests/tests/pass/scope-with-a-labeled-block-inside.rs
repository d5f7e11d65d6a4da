//! A labeled block inside the block (`'check: { ... break 'check v; }`)
//! keeps its own `break`: it leaves the labeled block, not the scope.
#![deny(warnings)]

use more_threads::prelude::*;

fn main() {
    let text = "42x";
    let plain = {
        let digits = text.chars().filter(char::is_ascii_digit).count();
        let verdict = 'check: {
            if digits == 0 {
                break 'check "none";
            }
            if digits < text.len() {
                break 'check "some";
            }
            "all"
        };
        (digits, verdict)
    };
    let scoped = scope! {
        let digits = spawn "digits" => |_please_stop| text.chars().filter(char::is_ascii_digit).count();
        let digits = digits.join().unwrap();
        let verdict = 'check: {
            if digits == 0 {
                break 'check "none";
            }
            if digits < text.len() {
                break 'check "some";
            }
            "all"
        };
        (digits, verdict)
    };
    assert_eq!(plain, scoped);
    assert_eq!(scoped, (2, "some"));
}
