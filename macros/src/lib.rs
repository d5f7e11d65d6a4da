//! The procedural macros of [more-threads](https://docs.rs/more-threads):
//! `#[worker]`, `scope! { spawn "name" => ... }`, `#[more_threads::main]` and
//! `#[more_threads::test]`.
//!
//! Use them through the `more-threads` crate, which re-exports them and
//! documents them with examples. Each macro goes through the same three
//! stages: `parse` builds this crate's own model of the input (`model`),
//! `check` finds every mistake and reports it at the offending tokens with
//! what to write instead, and `expand` generates plain calls to the
//! runtime's public API. When the input is wrong, `fallback` still emits
//! the item, so the error is the only one and IDEs keep working.

mod check;
mod expand;
mod fallback;
mod model;
mod parse;
mod rewrite;

use proc_macro::TokenStream;

/// Turns a fn into a worker factory: the body sees `please_stop: &Signal`,
/// and calling the fn returns the worker. See `more_threads::worker`.
#[proc_macro_attribute]
pub fn worker(args: TokenStream, item: TokenStream) -> TokenStream {
    let (args, item): (proc_macro2::TokenStream, proc_macro2::TokenStream) =
        (args.into(), item.into());
    let result = parse::worker(args.clone(), item.clone())
        .and_then(|worker| check::worker(&worker).map(|()| worker));
    match result {
        Ok(worker) => expand::worker(&worker),
        Err(error) => fallback::worker(item, &parse::crate_option(args), error),
    }
    .into()
}

/// A block whose `spawn NAME => WORKER` expressions start scoped children,
/// all finished when the block ends. See `more_threads::scope!`.
#[proc_macro]
pub fn scope(input: TokenStream) -> TokenStream {
    scope_expansion(input.into()).into()
}

/// `scope!`'s three stages, also run by an enclosing `scope!` on a nested one.
fn scope_expansion(input: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    match parse::scope(input) {
        Ok(scope) => match check::scope(&scope) {
            Ok(()) => expand::scope(&scope),
            Err(error) => fallback::repaired_scope(&scope, error),
        },
        Err(error) => fallback::scope(error),
    }
}

/// Runs `fn main` as the root of the thread tree. See `more_threads::main`.
#[proc_macro_attribute]
pub fn main(args: TokenStream, item: TokenStream) -> TokenStream {
    entry(model::EntryKind::Main, args, item)
}

/// Runs a test as a registered thread whose children must end cleanly.
/// See `more_threads::test`.
#[proc_macro_attribute]
pub fn test(args: TokenStream, item: TokenStream) -> TokenStream {
    entry(model::EntryKind::Test, args, item)
}

fn entry(kind: model::EntryKind, args: TokenStream, item: TokenStream) -> TokenStream {
    let (args, item): (proc_macro2::TokenStream, proc_macro2::TokenStream) =
        (args.into(), item.into());
    let result = parse::entry(kind, args.clone(), item.clone())
        .and_then(|entry| check::entry(&entry).map(|()| entry));
    match result {
        Ok(entry) => expand::entry(&entry),
        Err(error) => fallback::entry(kind, item, &parse::crate_option(args), error),
    }
    .into()
}
