//! Printing an error's causes once: `Display` says what failed, `source()`
//! says why (the convention of std and thiserror), and `{:#}` prints the
//! chain, as anyhow's `{:#}` does.

use std::error::Error;
use std::fmt;

/// Writes `: cause` for each error in `error`'s `source()` chain.
pub(crate) fn write_sources(f: &mut fmt::Formatter<'_>, error: &dyn Error) -> fmt::Result {
    let mut cursor = error.source();
    while let Some(cause) = cursor {
        write!(f, ": {cause}")?;
        cursor = cause.source();
    }
    Ok(())
}

/// `error: cause: cause...`, the whole chain as one line of text.
pub(crate) fn with_sources(error: &dyn Error) -> String {
    struct Chain<'a>(&'a dyn Error);
    impl fmt::Display for Chain<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "{}", self.0)?;
            write_sources(f, self.0)
        }
    }
    Chain(error).to_string()
}
