//! Stage one: the user's tokens into this crate's model. Only what cannot be
//! understood at all is an error here; mistakes in what was understood are
//! `check`'s to report.

use crate::model::{EntryFn, EntryKind, EntryOptions, ScopeBody, ScopeItem, SpawnSite, WorkerFn};
use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

/// `#[worker]` or `#[worker(crate = "path")]` on a fn.
pub(crate) fn worker(args: TokenStream, item: TokenStream) -> syn::Result<WorkerFn> {
    let mut krate = default_crate();
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("crate") {
            krate = meta.value()?.parse::<syn::LitStr>()?.parse()?;
            Ok(())
        } else {
            Err(meta.error(
                "#[worker] takes no arguments: write `#[worker]` (or `#[worker(crate = \"path\")]` \
                 when more_threads is re-exported under another path)",
            ))
        }
    });
    syn::parse::Parser::parse2(parser, args)?;
    let item = syn::parse2::<syn::ItemFn>(item)?;
    Ok(WorkerFn { item, krate })
}

/// `#[more_threads::main(...)]` or `#[more_threads::test(...)]` on a fn.
pub(crate) fn entry(kind: EntryKind, args: TokenStream, item: TokenStream) -> syn::Result<EntryFn> {
    let mut options = EntryOptions {
        krate: default_crate(),
        shutdown_deadline: None,
        handle_signals: None,
        stderr_logger: None,
        dump_on_sigquit: None,
    };
    let parser = syn::meta::parser(|meta| {
        let bool_option = |slot: &mut Option<syn::LitBool>| -> syn::Result<()> {
            *slot = Some(meta.value()?.parse()?);
            Ok(())
        };
        if meta.path.is_ident("crate") {
            options.krate = meta.value()?.parse::<syn::LitStr>()?.parse()?;
            Ok(())
        } else if meta.path.is_ident("shutdown_deadline") {
            options.shutdown_deadline = Some(meta.value()?.parse()?);
            Ok(())
        } else if meta.path.is_ident("handle_signals") {
            bool_option(&mut options.handle_signals)
        } else if meta.path.is_ident("stderr_logger") {
            bool_option(&mut options.stderr_logger)
        } else if meta.path.is_ident("dump_on_sigquit") {
            bool_option(&mut options.dump_on_sigquit)
        } else {
            Err(meta.error(format!(
                "unknown option for {}: the options are `shutdown_deadline = SECONDS`, \
                 `handle_signals = BOOL`, `stderr_logger = BOOL`, `dump_on_sigquit = BOOL` \
                 and `crate = \"path\"`",
                kind.attribute()
            )))
        }
    });
    syn::parse::Parser::parse2(parser, args)?;
    let item = syn::parse2::<syn::ItemFn>(item)?;
    Ok(EntryFn {
        kind,
        item,
        options,
    })
}

fn default_crate() -> syn::Path {
    syn::parse_quote!(::more_threads)
}

/// The contents of `scope! { ... }`.
pub(crate) fn scope(input: TokenStream) -> syn::Result<ScopeBody> {
    Ok(body(input.into_iter().collect(), false))
}

/// Finds the spawn statements (and what `check` must look at) in a token
/// sequence, descending into every group.
fn body(tokens: Vec<TokenTree>, in_async: bool) -> ScopeBody {
    let mut items = Vec::new();
    let mut index = 0;
    let mut statement_start = true;
    while index < tokens.len() {
        let token = &tokens[index];
        let next = tokens.get(index + 1);
        match token {
            TokenTree::Ident(ident)
                if statement_start && ident == "release" && is_ident(next, "spawn") =>
            {
                let (site, end) = spawn_site(&tokens, index + 1, Some(ident.span()), false);
                items.push(ScopeItem::Spawn(site));
                index = end;
                statement_start = false;
                continue;
            }
            TokenTree::Ident(ident)
                if statement_start && ident == "spawn" && is_spawn(&tokens, index) =>
            {
                let kept = index > 0 && is_assignment(&tokens, index - 1);
                let (site, end) = spawn_site(&tokens, index, None, kept);
                items.push(ScopeItem::Spawn(site));
                index = end;
                statement_start = false;
                continue;
            }
            TokenTree::Ident(ident) if ident == "scope" && is_punct(next, '!') => {
                if let Some(group @ TokenTree::Group(_)) = tokens.get(index + 2) {
                    let nested = [token.clone(), tokens[index + 1].clone(), group.clone()];
                    items.push(ScopeItem::Nested(nested.into_iter().collect()));
                    index += 3;
                    statement_start = false;
                    continue;
                }
            }
            TokenTree::Ident(ident) if ident == "async" => {
                // An async block or closure: awaits inside are its own.
                items.push(ScopeItem::Token(token.clone()));
                index += 1;
                while let Some(token) = tokens.get(index) {
                    if let TokenTree::Group(group) = token {
                        if group.delimiter() == Delimiter::Brace {
                            items.push(group_item(group, true));
                            index += 1;
                            break;
                        }
                    }
                    items.push(ScopeItem::Token(token.clone()));
                    index += 1;
                }
                statement_start = false;
                continue;
            }
            TokenTree::Punct(dot)
                if dot.as_char() == '.' && !in_async && is_ident(next, "await") =>
            {
                items.push(ScopeItem::Await(dot.span()));
            }
            _ => {}
        }
        statement_start = starts_statement_after(&tokens, index);
        items.push(match token {
            TokenTree::Group(group) => group_item(group, in_async),
            other => ScopeItem::Token(other.clone()),
        });
        index += 1;
    }
    ScopeBody { items }
}

fn group_item(group: &proc_macro2::Group, in_async: bool) -> ScopeItem {
    ScopeItem::Group {
        delimiter: group.delimiter(),
        span: group.delim_span(),
        body: body(group.stream().into_iter().collect(), in_async),
    }
}

/// Whether `tokens[index]` is a lone `=` (not part of `==`, `<=`, `+=`...).
fn is_assignment(tokens: &[TokenTree], index: usize) -> bool {
    let after_joint = index > 0
        && matches!(&tokens[index - 1], TokenTree::Punct(previous) if previous.spacing() == Spacing::Joint);
    matches!(&tokens[index], TokenTree::Punct(punct) if punct.as_char() == '=' && punct.spacing() == Spacing::Alone)
        && !after_joint
}

/// Whether a statement may begin right after `tokens[index]`.
fn starts_statement_after(tokens: &[TokenTree], index: usize) -> bool {
    match &tokens[index] {
        TokenTree::Punct(punct) => {
            let after_joint = index > 0
                && matches!(&tokens[index - 1], TokenTree::Punct(previous) if previous.spacing() == Spacing::Joint);
            match punct.as_char() {
                ';' => true,
                // `let h = spawn ...` (a lone `=`, not `==`, `<=`, `+=`...)
                '=' => punct.spacing() == Spacing::Alone && !after_joint,
                // a match arm: `pattern => spawn ...`
                '>' => {
                    after_joint
                        && matches!(&tokens[index - 1], TokenTree::Punct(previous) if previous.as_char() == '=')
                }
                _ => false,
            }
        }
        TokenTree::Group(group) => group.delimiter() == Delimiter::Brace,
        _ => false,
    }
}

/// Whether the `spawn` at `index` is the DSL's: it has a `=>` before the end
/// of its statement, or it is not followed by `(` (a call to a function of
/// the user's that happens to be named `spawn`).
fn is_spawn(tokens: &[TokenTree], index: usize) -> bool {
    let end = statement_end(tokens, index + 1);
    arrow_at(&tokens[index + 1..end]).is_some()
        || !matches!(tokens.get(index + 1), Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Parenthesis)
}

/// The index of the `;` ending the statement that starts at `from`, or the end.
fn statement_end(tokens: &[TokenTree], from: usize) -> usize {
    tokens[from..]
        .iter()
        .position(|token| matches!(token, TokenTree::Punct(punct) if punct.as_char() == ';'))
        .map_or(tokens.len(), |offset| from + offset)
}

/// The position of the first top-level `=>` in `tokens`.
fn arrow_at(tokens: &[TokenTree]) -> Option<usize> {
    tokens.windows(2).position(|pair| {
        matches!(&pair[0], TokenTree::Punct(eq) if eq.as_char() == '=' && eq.spacing() == Spacing::Joint)
            && matches!(&pair[1], TokenTree::Punct(gt) if gt.as_char() == '>')
    })
}

/// Reads `spawn NAME => WORKER` from `tokens[keyword..]`; returns it and the
/// index just past it (the `;` is left for the caller).
fn spawn_site(
    tokens: &[TokenTree],
    keyword: usize,
    release: Option<proc_macro2::Span>,
    kept: bool,
) -> (SpawnSite, usize) {
    let end = statement_end(tokens, keyword + 1);
    let rest = &tokens[keyword + 1..end];
    let (name, arrow, worker) = match arrow_at(rest) {
        Some(at) => (
            rest[..at].iter().cloned().collect(),
            Some(rest[at].span()),
            rest[at + 2..].iter().cloned().collect(),
        ),
        None => (TokenStream::new(), None, rest.iter().cloned().collect()),
    };
    let site = SpawnSite {
        release,
        keyword: tokens[keyword].span(),
        name,
        arrow,
        worker,
        kept,
    };
    (site, end)
}

fn is_ident(token: Option<&TokenTree>, name: &str) -> bool {
    matches!(token, Some(TokenTree::Ident(ident)) if ident == name)
}

fn is_punct(token: Option<&TokenTree>, ch: char) -> bool {
    matches!(token, Some(TokenTree::Punct(punct)) if punct.as_char() == ch)
}
