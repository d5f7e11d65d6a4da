//! The policy options with `#![crate = "..."]` when more-threads is
//! reached through a re-export, in any order.
#![deny(warnings)]

mod deps {
    pub use more_threads as threads;
}

fn main() -> Result<(), deps::threads::ThreadError> {
    let fastest = deps::threads::scope! {
        #![first_success]
        #![crate = "deps::threads"]
        #![move_on_after = deps::threads::Signal::never()]
        spawn "only" => |_please_stop| Ok::<_, deps::threads::BoxError>(3_u8);
    }?;
    assert_eq!(fastest, Some(3));
    Ok(())
}
