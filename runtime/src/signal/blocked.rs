//! A wait on a Signal, as the thread dump shows it and the profile files it.
//!
//! The slot a thread records its waits in (`crate::local::blocked`) stands
//! below the Signal and cannot name it: it holds the Signal's shared state
//! as a [`WaitedOn`], which says what the Signal is. Recording a wait is a
//! reference count, as a Signal's clone is.

use super::Inner;
use crate::local::blocked::WaitedOn;
use std::fmt;

impl WaitedOn for Inner {
    /// As `Display` (`please_stop`, `till in 1.500s`, `(a | b)`), or,
    /// `stable`, with a Till as `till`: the profile files every wait on the
    /// same thing together, whenever it goes.
    fn describe(&self, f: &mut fmt::Formatter<'_>, stable: bool) -> fmt::Result {
        Inner::describe(self, f, stable)
    }
}
