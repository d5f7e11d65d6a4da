// A macro that may `return` on its own (here, of the user's) inside a
// `scope!`, in a fn whose return type the closure form cannot carry (a type
// of the user's, with no `Default`): the one thing the closure form cannot
// do, refused with what to write.
use more_threads::prelude::*;

struct Report {
    lines: usize,
}

macro_rules! empty_report {
    () => {
        return Report { lines: 0 }
    };
}

fn report(text: &str) -> Report {
    scope! {
        spawn "idle" => |_please_stop| ();
        if text.is_empty() {
            empty_report!();
        }
        Report { lines: text.lines().count() }
    }
}

fn main() {
    assert_eq!(report("a\nb").lines, 2);
}
