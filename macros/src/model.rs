//! This crate's own model of what the user wrote, built by `parse`.

use proc_macro2::extra::DelimSpan;
use proc_macro2::{Delimiter, Ident, Span, TokenStream, TokenTree};

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
    /// `console` (written alone, it is `true`) or `console = BOOL`.
    pub(crate) console: Option<syn::LitBool>,
}

/// `scope! { [#![OPTION]]* ... }`: the options (`#![crate = "path"]`, a
/// policy), the block's own inner attributes, then the block.
pub(crate) struct ScopeInput {
    pub(crate) krate: syn::Path,
    /// The options, as written (`crate` included); `check` makes sure they
    /// are right before [`ScopeInput::policy`] reads them.
    pub(crate) options: Vec<ScopeOption>,
    /// The inner attributes at the top of the block that are not options
    /// (`#![allow(unused_variables)]`, `#![cfg_attr(...)]`), each `#![...]`
    /// as written, in order: they stay at the top of the block.
    pub(crate) attributes: Vec<TokenStream>,
    pub(crate) body: ScopeBody,
}

/// One option of `scope!`: `NAME` or `NAME = VALUE` in a `#![...]` at the
/// top of the block (several may share one, separated by commas).
#[derive(Clone)]
pub(crate) struct ScopeOption {
    pub(crate) name: Ident,
    /// The `=` (or the parentheses of `NAME(VALUE)`, or the value's first
    /// token when its `=` is missing) and the value (none: `NAME =`).
    pub(crate) value: Option<(Span, Option<syn::Expr>)>,
    pub(crate) written: Written,
}

/// How an option was written: the one right spelling, or a mistake that
/// `check` says how to mend.
#[derive(Clone, Copy)]
pub(crate) enum Written {
    /// `#![NAME]` or `#![NAME = VALUE]`.
    Attribute,
    /// `#![NAME(VALUE)]`, as a list attribute is written.
    Call,
    /// `#![NAME VALUE]`, without its `=`.
    WithoutEquals,
    /// `crate = "path";`, the statement `scope!` once read: the span of
    /// its last token (its `;`).
    Statement(Span),
}

/// The options of `scope!` that name a policy.
pub(crate) const DEADLINE: &str = "deadline";
pub(crate) const MOVE_ON_AFTER: &str = "move_on_after";
pub(crate) const FIRST_SUCCESS: &str = "first_success";
pub(crate) const QUORUM: &str = "quorum";
pub(crate) const CRATE: &str = "crate";
/// Every option of `scope!`, as a message lists them.
pub(crate) const SCOPE_OPTIONS: &str = "`#![deadline = DURATION]` or \
     `#![move_on_after = DURATION]` (a `Duration` from the scope's start, or a `Signal` such \
     as a `Till`), `#![first_success]` or `#![quorum = N]`, and `#![crate = \"path\"]`";

/// Each option as it is written right, with a value to copy.
pub(crate) fn example(name: &str) -> &'static str {
    match name {
        DEADLINE => "#![deadline = Duration::from_secs(5)]",
        MOVE_ON_AFTER => "#![move_on_after = Duration::from_millis(500)]",
        FIRST_SUCCESS => "#![first_success]",
        QUORUM => "#![quorum = 2]",
        _ => "#![crate = \"my_crate::more_threads\"]",
    }
}

/// A scope's policy, read from options that `check` found right.
pub(crate) struct Policy<'a> {
    /// `deadline` or `move_on_after`, and its value.
    pub(crate) deadline: Option<(&'a Ident, &'a syn::Expr)>,
    pub(crate) race: Option<Race<'a>>,
}

pub(crate) enum Race<'a> {
    FirstSuccess,
    /// `quorum = N`.
    Quorum(&'a syn::Expr),
}

/// The names `scope!` takes as options.
pub(crate) const OPTIONS: &[&str] = &[CRATE, DEADLINE, MOVE_ON_AFTER, FIRST_SUCCESS, QUORUM];

impl ScopeInput {
    pub(crate) fn options_are_right(&self) -> bool {
        crate::check::scope_options_are_right(&self.options)
    }

    /// Whether its options make it a race (`first_success`, `quorum`).
    pub(crate) fn is_a_race(&self) -> bool {
        self.options
            .iter()
            .any(|option| option.name == FIRST_SUCCESS || option.name == QUORUM)
    }

    /// The policy its options set, if any.
    pub(crate) fn policy(&self) -> Option<Policy<'_>> {
        let mut policy = Policy {
            deadline: None,
            race: None,
        };
        for option in &self.options {
            let value = option.value.as_ref().and_then(|(_, value)| value.as_ref());
            match (option.name.to_string().as_str(), value) {
                (DEADLINE | MOVE_ON_AFTER, Some(value)) => {
                    policy.deadline = Some((&option.name, value));
                }
                (FIRST_SUCCESS, _) => policy.race = Some(Race::FirstSuccess),
                (QUORUM, Some(value)) => policy.race = Some(Race::Quorum(value)),
                _ => {}
            }
        }
        (policy.deadline.is_some() || policy.race.is_some()).then_some(policy)
    }
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
