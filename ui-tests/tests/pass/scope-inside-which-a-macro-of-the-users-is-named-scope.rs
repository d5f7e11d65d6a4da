//! A macro of the user's that happens to be named `scope!`, used inside
//! ours, keeps its meaning: a nested `scope!` is its own macro call (it used
//! to be expanded as a nested more-threads scope, silently computing another
//! value).
#![deny(warnings)]

fn main() {
    macro_rules! scope {
        ($value:expr) => {
            $value * 2
        };
    }
    let doubled = more_threads::scope! {
        spawn "idle" => |_please_stop| ();
        scope!(21)
    };
    assert_eq!(doubled, 42);
}
