// more-threads is reached only as `mt` (`#![crate = "mt"]`), and
// `::more_threads` is this crate, whose `Signal` is its own: the scope's
// error path names `mt` as its expansion does, so the DSL's errors are the
// only ones.
extern crate more_threads as mt;
extern crate self as more_threads;

/// Not more-threads' `Signal`.
pub struct Signal;

fn main() {
    let values = [1_u32, 2];
    let total: u32 = mt::scope! {
        #![crate = "mt"]
        let first = spawn |_please_stop| values[0];
        let second = spawn "second" => || values[1];
        first.join().unwrap() + second.join().unwrap()
    };
    println!("{total}");
}
