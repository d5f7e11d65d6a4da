// more-threads is reached only as `mt` (`crate = "mt"`), and
// `::more_threads` is this crate, whose `Signal` is its own: the body's
// `please_stop` is still more-threads' when another option is wrong, so the
// option's error is the only one.
extern crate more_threads as mt;
extern crate self as more_threads;

/// Not more-threads' `Signal`.
pub struct Signal;

#[mt::main(crate = "mt", logger = 5)]
fn main() {
    please_stop.wait();
}
