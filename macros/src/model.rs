//! This crate's own model of what the user wrote, built by `parse`.

use proc_macro2::extra::DelimSpan;
use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};

/// A fn under `#[worker]`.
pub(crate) struct WorkerFn {
    pub(crate) item: syn::ItemFn,
    pub(crate) krate: syn::Path,
}

/// Which entry attribute: `#[more_threads::main]` or `#[more_threads::test]`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum EntryKind {
    Main,
    Test,
}

impl EntryKind {
    pub(crate) fn attribute(self) -> &'static str {
        match self {
            EntryKind::Main => "#[more_threads::main]",
            EntryKind::Test => "#[more_threads::test]",
        }
    }
}

/// A fn under `#[more_threads::main]` or `#[more_threads::test]`.
pub(crate) struct EntryFn {
    pub(crate) kind: EntryKind,
    pub(crate) item: syn::ItemFn,
    pub(crate) options: EntryOptions,
}

/// The `name = value` arguments of an entry attribute.
pub(crate) struct EntryOptions {
    pub(crate) krate: syn::Path,
    /// Seconds, as written.
    pub(crate) shutdown_deadline: Option<syn::Lit>,
    pub(crate) handle_signals: Option<syn::LitBool>,
    /// `logger = BOOL`.
    pub(crate) logger: Option<syn::LitBool>,
    pub(crate) dump_on_sigquit: Option<syn::LitBool>,
    /// Where the profile table goes, as written.
    pub(crate) profile: Option<syn::LitStr>,
    /// Where the timeline goes, as written.
    pub(crate) trace: Option<syn::LitStr>,
}

/// `scope! { [crate = "path";] ... }`.
pub(crate) struct ScopeInput {
    pub(crate) krate: syn::Path,
    pub(crate) body: ScopeBody,
}

/// The contents of `scope! { ... }`: the user's tokens, with the spawn
/// statements found at any depth.
pub(crate) struct ScopeBody {
    pub(crate) items: Vec<ScopeItem>,
}

pub(crate) enum ScopeItem {
    /// A token passed through as it is.
    Token(TokenTree),
    /// A delimited group, searched for spawn statements too.
    Group {
        delimiter: Delimiter,
        span: DelimSpan,
        body: ScopeBody,
    },
    /// `spawn NAME => WORKER` (or `release spawn ...`).
    Spawn(SpawnSite),
    /// A nested `scope! { ... }`, left for that macro to expand.
    Nested(TokenStream),
    /// An `.await` in the block itself (not inside an `async` block).
    Await(Span),
}

/// One `spawn NAME => WORKER`, or a spawn written wrong: without its name
/// or its `=>`, or in std's spelling, `spawn(...)`.
pub(crate) struct SpawnSite {
    /// The `release` keyword, if the thread is released at once.
    pub(crate) release: Option<Span>,
    pub(crate) keyword: Span,
    /// The parentheses of std's spelling, `spawn(|please_stop| ...)`.
    pub(crate) call: Option<Span>,
    /// The tokens between `spawn` and `=>`; without a `=>`, a literal right
    /// after `spawn` (`spawn "name" |please_stop| ...`); in std's spelling,
    /// the arguments other than the closure.
    pub(crate) name: TokenStream,
    /// The `=>`, if there was one.
    pub(crate) arrow: Option<Span>,
    /// The tokens after `=>` (or after `spawn` and its name), up to the end
    /// of the expression; in std's spelling, the closure argument.
    pub(crate) worker: TokenStream,
    /// The same, with the spawns found in them (a child spawning into the scope).
    pub(crate) worker_body: ScopeBody,
}
