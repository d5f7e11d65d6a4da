//! `#[more_threads::main(crate = "...")]` and `#[worker(crate = "...")]`
//! when more-threads is reached through a re-export.
#![deny(warnings)]

mod deps {
    pub use more_threads as threads;
}

#[deps::threads::worker(crate = "crate::deps::threads")]
fn triple(value: u32) -> u32 {
    value * 3
}

#[deps::threads::main(crate = "crate::deps::threads")]
fn main() -> Result<(), deps::threads::ThreadError> {
    let tripled = deps::threads::scope! {
        #![crate = "crate::deps::threads"]
        let tripled = spawn "triple" => triple(14);
        tripled.join()?
    };
    assert_eq!(tripled, 42);
    Ok(())
}
