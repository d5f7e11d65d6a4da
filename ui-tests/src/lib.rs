//! Compile-fail cases for the more-threads DSL, run by `tests/compile_errors.rs`.
//!
//! Each case under `tests/ui/` is a tiny program named after the mistake it
//! makes, beside the `.stderr` the compiler must print for it. Compiler
//! messages change between releases, so the `.stderr` files were reviewed on
//! one toolchain, named in `ui-tests/reviewed-toolchain`:
//!
//! - **on that toolchain** every `.stderr` is compared exactly (with or
//!   without the `rust-src` component: the lines rustc quotes from the
//!   standard library's source when it is installed are left out of the
//!   comparison, see [`comparable`]);
//! - **on any other** (the declared rust-version, a newer stable, nightly)
//!   each case must still fail to compile, and print each headline of its
//!   reviewed `.stderr` (see [`headlines`]): the DSL's own message, or the
//!   compiler's for the mistakes rustc itself refuses.
//!
//! To refresh the `.stderr` files after changing a message, run on the
//! reviewed toolchain (`rustup toolchain install 1.95.0` names it):
//!
//! ```sh
//! TRYBUILD=overwrite cargo +1.95.0 test -p more-threads-ui-tests
//! ```
//!
//! and review the diff. Moving to a newer reviewed toolchain is the same
//! command on it, with the file `reviewed-toolchain` changed.
//!
//! ```
//! let reviewed = more_threads_ui_tests::reviewed_toolchain();
//! assert!(reviewed.split('.').count() == 3, "a release, as `rustc --version` prints it");
//! ```

use std::ffi::OsString;
use std::io;
use std::process::Command;

/// The toolchain the `.stderr` files were reviewed on, as `rustc --version`
/// prints its release (`1.95.0`).
///
/// ```
/// assert!(!more_threads_ui_tests::reviewed_toolchain().is_empty());
/// ```
pub fn reviewed_toolchain() -> &'static str {
    include_str!("../reviewed-toolchain").trim()
}

/// The compiler that builds the cases: the one `cargo` runs for them.
///
/// ```no_run
/// let compiler = more_threads_ui_tests::Compiler::running()?;
/// println!("{} (reviewed: {})", compiler.version(), compiler.is_reviewed());
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compiler {
    version: String,
}

impl Compiler {
    /// Asks the compiler cargo uses (`$RUSTC`, else `rustc` on the `PATH`,
    /// which rustup resolves to the toolchain `cargo +TOOLCHAIN` chose) for
    /// its version.
    ///
    /// # Errors
    ///
    /// When the compiler cannot be run, or prints no version.
    pub fn running() -> io::Result<Compiler> {
        let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| OsString::from("rustc"));
        let output = Command::new(&rustc).arg("--version").output()?;
        let version = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        if !output.status.success() || version.is_empty() {
            return Err(io::Error::other(format!(
                "`{} --version` printed no version ({}): {}",
                rustc.to_string_lossy(),
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            )));
        }
        Ok(Compiler { version })
    }

    /// A compiler known by its `rustc --version` line.
    ///
    /// ```
    /// use more_threads_ui_tests::Compiler;
    /// let nightly = Compiler::from_version("rustc 1.97.0-nightly (e50aa6fba 2026-05-19)");
    /// assert!(!nightly.is_reviewed());
    /// ```
    pub fn from_version(version: &str) -> Compiler {
        Compiler {
            version: version.trim().to_owned(),
        }
    }

    /// What `rustc --version` printed.
    ///
    /// ```
    /// use more_threads_ui_tests::Compiler;
    /// assert_eq!(Compiler::from_version("rustc 1.85.1 (4eb161250 2025-03-15)").version(), "rustc 1.85.1 (4eb161250 2025-03-15)");
    /// ```
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Whether this is the release the `.stderr` files were reviewed on (a
    /// nightly or beta of the same number is not).
    ///
    /// ```
    /// use more_threads_ui_tests::{reviewed_toolchain, Compiler};
    /// let reviewed = format!("rustc {} (59807616e 2026-04-14)", reviewed_toolchain());
    /// assert!(Compiler::from_version(&reviewed).is_reviewed());
    /// assert!(!Compiler::from_version("rustc 1.85.1 (4eb161250 2025-03-15)").is_reviewed());
    /// ```
    pub fn is_reviewed(&self) -> bool {
        self.version
            .strip_prefix("rustc ")
            .and_then(|rest| rest.strip_prefix(reviewed_toolchain()))
            .is_some_and(|rest| rest.starts_with(" ("))
    }
}

/// The form of a `.stderr` that is compared: lines rustc quotes from the
/// standard library's source are left out, and a case compiled from a copy
/// under `copied_from` is named by its place under `tests/ui/`.
///
/// rustc quotes a standard-library item it points at (`--> $RUST/...`) only
/// when the `rust-src` component is installed, which a reviewed `.stderr`
/// cannot know; the pointer itself stays, so the note is still checked.
///
/// ```
/// let with_src = "\
/// note: required because it appears within the type `PhantomData<*const ()>`
///  --> $RUST/core/src/marker.rs
///   |
///   | pub struct PhantomData<T: PointeeSized>;
///   |            ^^^^^^^^^^^
/// note: required because it appears within the type `RegisterThread`
/// ";
/// let without_src = "\
/// note: required because it appears within the type `PhantomData<*const ()>`
///  --> $RUST/core/src/marker.rs
/// note: required because it appears within the type `RegisterThread`
/// ";
/// use more_threads_ui_tests::comparable;
/// assert_eq!(comparable(with_src, "scratch/"), comparable(without_src, "scratch/"));
/// assert_eq!(comparable(" --> scratch/case.rs:1:1\n", "scratch/"), " --> tests/ui/case.rs:1:1\n");
/// ```
pub fn comparable(stderr: &str, copied_from: &str) -> String {
    let mut kept = String::with_capacity(stderr.len());
    let mut in_std_source = false;
    for line in stderr.lines() {
        let trimmed = line.trim_start();
        if in_std_source && (trimmed.starts_with('|') || trimmed == "...") {
            continue;
        }
        in_std_source = trimmed.starts_with("--> $RUST/");
        kept.push_str(&line.replace(copied_from, "tests/ui/"));
        kept.push('\n');
    }
    kept
}

/// The headlines of a `.stderr`: each `error` line, which names the mistake:
/// the DSL's own message, whole, or rustc's error code for what rustc
/// refuses (its wording changes between versions: 1.85 says "cannot assign
/// to `total`" where 1.95 says "cannot assign to value"). Every toolchain
/// must still print them, whatever it says around them.
///
/// ```
/// let stderr = "error: every thread needs a name\n --> tests/ui/case.rs:5:9\n  |\n\
///               error[E0594]: cannot assign to value, as it is not declared as mutable\n";
/// assert_eq!(
///     more_threads_ui_tests::headlines(stderr),
///     ["error: every thread needs a name", "error[E0594]"]
/// );
/// ```
pub fn headlines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|line| line.starts_with("error"))
        .map(|line| match (line.starts_with("error["), line.find(']')) {
            (true, Some(end)) => &line[..=end],
            _ => line,
        })
        .collect()
}
