//! Captures a panicking thread's backtrace, which `catch_unwind` alone loses.

use super::current::with_registered;
use std::backtrace::Backtrace;
use std::cell::RefCell;
use std::sync::Once;

thread_local! {
    static BACKTRACE: RefCell<Option<Backtrace>> = const { RefCell::new(None) };
}

/// Chains a hook in front of the current one (once per process): on threads
/// of the tree it keeps a backtrace, if `RUST_BACKTRACE` asks for them, then
/// lets the previous hook print as usual.
pub(crate) fn install() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if with_registered(|_| ()).is_some() {
                let trace = Backtrace::capture();
                let _ = BACKTRACE.try_with(|slot| *slot.borrow_mut() = Some(trace));
            }
            previous(info);
        }));
    });
}

/// The backtrace of this thread's last panic, if one was captured.
pub(crate) fn take_backtrace() -> Option<Backtrace> {
    BACKTRACE
        .try_with(|slot| slot.borrow_mut().take())
        .ok()
        .flatten()
}
