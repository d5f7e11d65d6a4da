// then() callbacks run on whichever thread calls go(), so they must be Send.
use more_threads::Signal;
use std::rc::Rc;

fn main() {
    let local = Rc::new(1);
    Signal::new().then(move || drop(local));
}
