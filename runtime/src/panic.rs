//! Catching a panic, written once: its message and, when `RUST_BACKTRACE`
//! asks for one, its backtrace (which `catch_unwind` alone loses).
//!
//! [`catch`] runs a closure under `catch_unwind` and marks the thread as
//! catching; a panic hook, chained in front of the previous one once per
//! process, keeps a backtrace for panics that happen while a thread is
//! catching, then lets the previous hook print as usual. Threads, tasks,
//! batch sinks, `then()` callbacks and `Main`'s body all go through it.

use crate::sync::real::Once;
use std::any::Any;
use std::backtrace::Backtrace;
use std::cell::{Cell, RefCell};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// A panic caught by [`catch`].
pub(crate) struct Caught {
    pub(crate) message: String,
    pub(crate) backtrace: Option<Backtrace>,
}

thread_local! {
    /// How many [`catch`]es this thread is inside.
    static CATCHING: Cell<usize> = const { Cell::new(0) };
    static BACKTRACE: RefCell<Option<Backtrace>> = const { RefCell::new(None) };
}

/// Runs `f`; a panic in it comes back as [`Caught`] instead of unwinding.
pub(crate) fn catch<R>(f: impl FnOnce() -> R) -> Result<R, Caught> {
    install_hook();
    let _ = CATCHING.try_with(|depth| depth.set(depth.get() + 1));
    let outcome = catch_unwind(AssertUnwindSafe(f));
    let _ = CATCHING.try_with(|depth| depth.set(depth.get() - 1));
    outcome.map_err(|payload| {
        let caught = Caught {
            message: panic_message(&*payload).to_owned(),
            backtrace: BACKTRACE
                .try_with(|slot| slot.borrow_mut().take())
                .ok()
                .flatten(),
        };
        drop_payload(payload);
        caught
    })
}

/// Drops a panic's payload, which may itself panic in its `Drop` (a hostile
/// payload): that panic is caught too, and so on a few times; a payload
/// that keeps panicking as it is dropped is leaked, never let unwind.
fn drop_payload(payload: Box<dyn Any + Send>) {
    let mut payload = payload;
    for _ in 0..4 {
        match catch_unwind(AssertUnwindSafe(move || drop(payload))) {
            Ok(()) => return,
            Err(again) => payload = again,
        }
    }
    std::mem::forget(payload);
}

fn install_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if CATCHING.try_with(Cell::get).unwrap_or(0) > 0 {
                let trace = Backtrace::capture();
                let _ = BACKTRACE.try_with(|slot| *slot.borrow_mut() = Some(trace));
            }
            previous(info);
        }));
    });
}

/// The message of a panic payload: the `&str` or `String` given to `panic!`,
/// or a placeholder for payloads of other types (`std::panic::panic_any`).
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(text) = payload.downcast_ref::<&'static str>() {
        text
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text
    } else {
        "<a panic payload that is not a string>"
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::{catch, panic_message};
    use std::panic::catch_unwind;

    #[test]
    fn reads_static_and_formatted_messages_and_names_other_payloads() {
        let literal = catch_unwind(|| panic!("plain")).unwrap_err();
        assert_eq!(panic_message(&*literal), "plain");
        let formatted = catch_unwind(|| panic!("{} {}", "with", 2)).unwrap_err();
        assert_eq!(panic_message(&*formatted), "with 2");
        let other = catch_unwind(|| std::panic::panic_any(7_u8)).unwrap_err();
        assert!(panic_message(&*other).contains("not a string"));
    }

    /// A panic payload whose `Drop` panics, `times` more times.
    struct Hostile {
        times: u8,
    }

    impl Drop for Hostile {
        fn drop(&mut self) {
            match self.times {
                0 => panic!("the payload's drop panicked"),
                times => std::panic::panic_any(Hostile { times: times - 1 }),
            }
        }
    }

    #[test]
    fn a_payload_whose_drop_panics_is_caught_with_it_and_one_that_always_does_is_leaked() {
        for times in [0, 1, 100] {
            let caught = catch(|| -> u8 { std::panic::panic_any(Hostile { times }) });
            let caught = caught.expect_err("caught, not unwound");
            assert!(
                caught.message.contains("not a string"),
                "{}",
                caught.message
            );
        }
    }

    #[test]
    fn catch_gives_the_value_or_the_panics_message() {
        assert_eq!(catch(|| 3).ok(), Some(3));
        let caught = catch(|| -> u8 { panic!("caught {}", 1) }).err().unwrap();
        assert_eq!(caught.message, "caught 1");
    }
}
