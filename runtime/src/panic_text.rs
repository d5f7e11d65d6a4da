//! Turning a caught panic payload into the text a person would want to read.

use std::any::Any;

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
    use super::panic_message;
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
}
