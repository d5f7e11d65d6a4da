//! Why a console could not be served.

use crate::thread::ThreadError;
use std::error::Error;
use std::fmt;
use std::io;
use std::path::PathBuf;

/// Why [`serve`](super::serve) or [`serve_in`](super::serve_in) did not
/// start a console: `Display` says what failed, [`source`](Error::source)
/// why.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let dir = std::env::temp_dir().join(format!("more-threads-doc-{}", std::process::id()));
/// # std::fs::create_dir_all(&dir)?;
/// # std::fs::write(dir.join("file"), "")?;
/// // A file where the directory should be:
/// let error = more_threads::console::serve_in(dir.join("file")).unwrap_err();
/// assert!(error.to_string().starts_with("the console could not listen in"));
/// assert!(std::error::Error::source(&error).is_some());
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum ServeError {
    /// A console is already served by this process (there is one socket a
    /// process, `<pid>.sock`).
    AlreadyServing {
        /// Where the console already listens.
        socket: PathBuf,
    },
    /// The directory or the socket could not be made, or is not the user's
    /// alone.
    Listen {
        /// The directory asked for.
        directory: PathBuf,
        /// What the OS said.
        source: io::Error,
    },
    /// The server's thread could not be started.
    Thread(ThreadError),
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServeError::AlreadyServing { socket } => write!(
                f,
                "a console is already served by this process, at {}",
                socket.display()
            ),
            ServeError::Listen { directory, .. } => {
                write!(f, "the console could not listen in {}", directory.display())
            }
            ServeError::Thread(_) => f.write_str("the console's thread could not be started"),
        }
    }
}

impl Error for ServeError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            ServeError::AlreadyServing { .. } => None,
            ServeError::Listen { source, .. } => Some(source),
            ServeError::Thread(error) => Some(error),
        }
    }
}
