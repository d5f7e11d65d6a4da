//! Where the console listens, and a socket only its user can open.

use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::os::unix::net::UnixListener;
use std::path::{Path, PathBuf};

/// The directory of this user's consoles: `$XDG_RUNTIME_DIR/more-threads`,
/// or, without `XDG_RUNTIME_DIR`, `<temp dir>/more-threads-<uid>`. Each
/// program with its console on listens there on `<pid>.sock`; the client's
/// `--list` reads it.
///
/// ```
/// let directory = more_threads::console::directory();
/// assert!(directory.to_string_lossy().contains("more-threads"));
/// ```
pub fn directory() -> PathBuf {
    match std::env::var_os("XDG_RUNTIME_DIR").filter(|dir| !dir.is_empty()) {
        Some(runtime) => PathBuf::from(runtime).join("more-threads"),
        None => std::env::temp_dir().join(format!(
            "more-threads-{}",
            rustix::process::getuid().as_raw()
        )),
    }
}

/// Binds `<directory>/<pid>.sock`, 0600, in a directory that is the user's
/// alone (made 0700, or checked so).
pub(super) fn bind(directory: &Path) -> io::Result<(UnixListener, PathBuf)> {
    own_directory(directory)?;
    let path = directory.join(format!("{}.sock", std::process::id()));
    // A socket of this pid is of a process gone before us.
    match std::fs::remove_file(&path) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => return Err(error),
        _ => {}
    }
    let listener = UnixListener::bind(&path)?;
    // The directory is already closed to others: no one else could open
    // the socket before this.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    Ok((listener, path))
}

/// Makes `directory` 0700, or checks that the one there is the user's, is
/// no symbolic link, and is open to no one else.
fn own_directory(directory: &Path) -> io::Result<()> {
    if let Some(parent) = directory.parent() {
        std::fs::create_dir_all(parent)?;
    }
    match std::fs::DirBuilder::new().mode(0o700).create(directory) {
        Err(error) if error.kind() != io::ErrorKind::AlreadyExists => return Err(error),
        _ => {}
    }
    let found = std::fs::symlink_metadata(directory)?;
    let refuse = |why: &str| {
        Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!("{} {why}", directory.display()),
        ))
    };
    if !found.is_dir() {
        return refuse("is not a directory");
    }
    if found.uid() != rustix::process::getuid().as_raw() {
        return refuse("belongs to another user");
    }
    if found.mode() & 0o077 != 0 {
        return refuse("is open to other users (it must be 0700)");
    }
    Ok(())
}
