//! Stage one: the user's tokens into this crate's model. Only what cannot be
//! understood at all is an error here; mistakes in what was understood are
//! `check`'s to report.

use crate::model::{
    EntryFn, EntryKind, EntryOptions, ScopeBody, ScopeInput, ScopeItem, SpawnSite, WorkerFn,
};
use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

/// `#[worker]` or `#[worker(crate = "path")]` on a fn.
pub(crate) fn worker(args: TokenStream, item: TokenStream) -> syn::Result<WorkerFn> {
    let mut krate = None;
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("crate") {
            set_once(&mut krate, &meta, "crate", |meta| {
                meta.value()?.parse::<syn::LitStr>()?.parse()
            })
        } else {
            Err(meta.error(
                "#[worker] takes no arguments: write `#[worker]` (or `#[worker(crate = \"path\")]` \
                 when more_threads is re-exported under another path)",
            ))
        }
    });
    syn::parse::Parser::parse2(parser, args)?;
    let item = syn::parse2::<syn::ItemFn>(item)?;
    let krate = krate.unwrap_or_else(default_crate);
    Ok(WorkerFn { item, krate })
}

/// `#[more_threads::main(...)]` or `#[more_threads::test(...)]` on a fn.
pub(crate) fn entry(kind: EntryKind, args: TokenStream, item: TokenStream) -> syn::Result<EntryFn> {
    let mut krate = None;
    let mut shutdown_deadline = None;
    let mut handle_signals = None;
    let mut logger = None;
    let mut dump_on_sigquit = None;
    let mut profile = None;
    let mut trace = None;
    let parser = syn::meta::parser(|meta| {
        let bool_value = |meta: &syn::meta::ParseNestedMeta| meta.value()?.parse::<syn::LitBool>();
        if meta.path.is_ident("crate") {
            set_once(&mut krate, &meta, "crate", |meta| {
                meta.value()?.parse::<syn::LitStr>()?.parse()
            })
        } else if meta.path.is_ident("shutdown_deadline") {
            set_once(&mut shutdown_deadline, &meta, "shutdown_deadline", |meta| {
                meta.value()?.parse()
            })
        } else if meta.path.is_ident("handle_signals") {
            set_once(&mut handle_signals, &meta, "handle_signals", bool_value)
        } else if meta.path.is_ident("logger") {
            set_once(&mut logger, &meta, "logger", bool_value)
        } else if meta.path.is_ident("stderr_logger") {
            // The old name of `logger`: one of the two, once.
            if logger.is_some() {
                Err(meta.error("`logger` set multiple times: `stderr_logger` is its old name"))
            } else {
                set_once(&mut logger, &meta, "logger", bool_value)
            }
        } else if meta.path.is_ident("dump_on_sigquit") {
            set_once(&mut dump_on_sigquit, &meta, "dump_on_sigquit", bool_value)
        } else if meta.path.is_ident("profile") {
            set_once(&mut profile, &meta, "profile", |meta| {
                path_value(
                    meta,
                    "profile is where the table goes: a string, e.g. \
                     `profile = \"profile.txt\"`, or `\"-\"` for stderr",
                )
            })
        } else if meta.path.is_ident("trace") {
            set_once(&mut trace, &meta, "trace", |meta| {
                path_value(
                    meta,
                    "trace is where the timeline goes: a string, e.g. \
                     `trace = \"timeline.json\"`",
                )
            })
        } else {
            Err(meta.error(format!(
                "unknown option for {}: the options are `shutdown_deadline = SECONDS`, \
                 `handle_signals = BOOL`, `logger = BOOL`, `dump_on_sigquit = BOOL`, \
                 `profile = \"path\"`, `trace = \"path\"` and `crate = \"path\"`",
                kind.attribute()
            )))
        }
    });
    syn::parse::Parser::parse2(parser, args)?;
    let item = syn::parse2::<syn::ItemFn>(item)?;
    let options = EntryOptions {
        krate: krate.unwrap_or_else(default_crate),
        shutdown_deadline,
        handle_signals,
        logger,
        dump_on_sigquit,
        profile,
        trace,
    };
    Ok(EntryFn {
        kind,
        item,
        options,
    })
}

/// Reads an option's value into `slot`, refusing a second one: each option
/// is said once (tokio-macros' "`flavor` set multiple times.").
fn set_once<T>(
    slot: &mut Option<T>,
    meta: &syn::meta::ParseNestedMeta,
    name: &str,
    value: impl FnOnce(&syn::meta::ParseNestedMeta) -> syn::Result<T>,
) -> syn::Result<()> {
    if slot.is_some() {
        return Err(meta.error(format!("`{name}` set multiple times")));
    }
    *slot = Some(value(meta)?);
    Ok(())
}

/// A `name = "path"` value, or the error saying what to write.
fn path_value(meta: &syn::meta::ParseNestedMeta, what: &str) -> syn::Result<syn::LitStr> {
    let value = meta.value()?;
    value
        .parse::<syn::LitStr>()
        .map_err(|error| syn::Error::new(error.span(), what))
}

fn default_crate() -> syn::Path {
    syn::parse_quote!(::more_threads)
}

/// The contents of `scope! { ... }`, after an optional `crate = "path";`.
pub(crate) fn scope(input: TokenStream) -> syn::Result<ScopeInput> {
    let tokens: Vec<TokenTree> = input.into_iter().collect();
    let (krate, start) = scope_crate(&tokens)?;
    Ok(ScopeInput {
        krate: krate.unwrap_or_else(default_crate),
        body: body(tokens[start..].to_vec(), false, Braces::Block),
    })
}

/// A leading `crate = "path";`: the path more_threads is reached by.
fn scope_crate(tokens: &[TokenTree]) -> syn::Result<(Option<syn::Path>, usize)> {
    if !is_ident(tokens.first(), "crate") || !is_punct(tokens.get(1), '=') {
        return Ok((None, 0));
    }
    let Some(TokenTree::Literal(literal)) = tokens.get(2) else {
        return Err(syn::Error::new(
            tokens[1].span(),
            "write the path as a string: `crate = \"my_crate::more_threads\";`",
        ));
    };
    let path = syn::parse2::<syn::LitStr>(TokenTree::Literal(literal.clone()).into())?.parse()?;
    if !is_punct(tokens.get(3), ';') {
        return Err(syn::Error::new(
            literal.span(),
            "end the option with `;`: `crate = \"path\";` before the block's statements",
        ));
    }
    if is_ident(tokens.get(4), "crate") && is_punct(tokens.get(5), '=') {
        return Err(syn::Error::new(
            tokens[4].span(),
            "`crate` set multiple times",
        ));
    }
    Ok((Some(path), 4))
}

/// Finds the spawn expressions (and what `check` must look at) in a token
/// sequence, descending into every group.
fn body(tokens: Vec<TokenTree>, in_async: bool, braces: Braces) -> ScopeBody {
    let in_braces = braces != Braces::None;
    let in_match = braces == Braces::MatchArms;
    let mut items = Vec::new();
    let mut index = 0;
    // Where an expression may begin: `spawn` is the DSL's only there.
    let mut expression_start = true;
    // In a match's arms, before an arm's `=>`: a pattern, where `spawn`
    // is a binding of the user's (`spawn => ...`, `spawn @ 1..=5 => ...`).
    let mut in_pattern = in_match;
    while index < tokens.len() {
        let token = &tokens[index];
        let next = tokens.get(index + 1);
        match token {
            TokenTree::Punct(punct) if in_match && punct.as_char() == ',' => in_pattern = true,
            TokenTree::Punct(punct) if in_match && is_arrow_end(&tokens, index, punct) => {
                in_pattern = false;
            }
            TokenTree::Group(group)
                if in_match
                    && group.delimiter() == Delimiter::Brace
                    && matches!(tokens.get(index.wrapping_sub(1)), Some(TokenTree::Punct(p)) if is_arrow_end(&tokens, index - 1, p)) =>
            {
                // An arm's block: the next arm's pattern follows it.
                items.push(group_item(group, in_async, Braces::Block));
                index += 1;
                in_pattern = true;
                expression_start = false;
                continue;
            }
            _ => {}
        }
        match token {
            TokenTree::Ident(ident)
                if expression_start
                    && !in_pattern
                    && ident == "release"
                    && is_ident(next, "spawn")
                    && is_spawn(&tokens, index + 1, true) =>
            {
                let (site, end) = spawn_site(&tokens, index + 1, Some(ident.span()), in_async);
                items.push(ScopeItem::Spawn(site));
                index = end;
                expression_start = false;
                continue;
            }
            TokenTree::Ident(ident)
                if expression_start
                    && !in_pattern
                    && ident == "spawn"
                    && is_spawn(&tokens, index, statement_start(&tokens, index, in_braces)) =>
            {
                let (site, end) = spawn_site(&tokens, index, None, in_async);
                items.push(ScopeItem::Spawn(site));
                index = end;
                expression_start = false;
                continue;
            }
            TokenTree::Ident(ident) if ident == "scope" && is_punct(next, '!') => {
                if let Some(group @ TokenTree::Group(_)) = tokens.get(index + 2) {
                    let nested = [token.clone(), tokens[index + 1].clone(), group.clone()];
                    items.push(ScopeItem::Nested(nested.into_iter().collect()));
                    index += 3;
                    expression_start = false;
                    continue;
                }
            }
            TokenTree::Ident(ident) if ident == "async" => {
                // An async block or closure: awaits inside are its own.
                items.push(ScopeItem::Token(token.clone()));
                index += 1;
                if is_ident(tokens.get(index), "move") {
                    items.push(ScopeItem::Token(tokens[index].clone()));
                    index += 1;
                }
                if is_punct(tokens.get(index), '|') {
                    // An async closure: its parameters, then its body, a
                    // block or an expression, to the end of the expression.
                    let parameters_end = if is_punct(tokens.get(index + 1), '|') {
                        index + 1
                    } else {
                        (index + 1..tokens.len())
                            .find(|&at| is_punct(tokens.get(at), '|'))
                            .unwrap_or(tokens.len() - 1)
                    };
                    items.extend(
                        tokens[index..=parameters_end]
                            .iter()
                            .cloned()
                            .map(ScopeItem::Token),
                    );
                    let end = expression_end(&tokens, parameters_end + 1);
                    let closure_body =
                        body(tokens[parameters_end + 1..end].to_vec(), true, Braces::None);
                    items.extend(closure_body.items);
                    index = end;
                    expression_start = false;
                    continue;
                }
                while let Some(token) = tokens.get(index) {
                    if let TokenTree::Group(group) = token {
                        if group.delimiter() == Delimiter::Brace {
                            items.push(group_item(group, true, Braces::Block));
                            index += 1;
                            break;
                        }
                    }
                    items.push(ScopeItem::Token(token.clone()));
                    index += 1;
                }
                expression_start = false;
                continue;
            }
            TokenTree::Punct(dot)
                if dot.as_char() == '.' && !in_async && is_ident(next, "await") =>
            {
                items.push(ScopeItem::Await(dot.span()));
            }
            _ => {}
        }
        expression_start = starts_expression_after(&tokens, index);
        items.push(match token {
            TokenTree::Group(group) => {
                group_item(group, in_async, braces_of(&tokens, index, group))
            }
            other => ScopeItem::Token(other.clone()),
        });
        index += 1;
    }
    ScopeBody { items }
}

/// What a brace group holds, as far as finding spawns goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Braces {
    /// Not a brace group (parentheses, brackets).
    None,
    /// A block, a struct literal's fields, an item's body.
    Block,
    /// The arms of a `match`.
    MatchArms,
}

/// What `tokens[index]` (a group) is: the arms of a match when it follows
/// `match` and its scrutinee.
fn braces_of(tokens: &[TokenTree], index: usize, group: &proc_macro2::Group) -> Braces {
    if group.delimiter() != Delimiter::Brace {
        return Braces::None;
    }
    for token in tokens[..index].iter().rev() {
        match token {
            TokenTree::Ident(ident) if ident == "match" => return Braces::MatchArms,
            TokenTree::Ident(ident)
                if [
                    "if", "while", "for", "loop", "let", "else", "fn", "impl", "mod", "unsafe",
                    "async", "move", "return", "break",
                ]
                .iter()
                .any(|word| ident == word) =>
            {
                return Braces::Block;
            }
            TokenTree::Punct(punct) if matches!(punct.as_char(), ';' | ',' | '=') => {
                return Braces::Block;
            }
            TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => {
                return Braces::Block;
            }
            _ => {}
        }
    }
    Braces::Block
}

/// Whether `punct` (at `index`) is the `>` of a `=>`.
fn is_arrow_end(tokens: &[TokenTree], index: usize, punct: &proc_macro2::Punct) -> bool {
    punct.as_char() == '>'
        && index > 0
        && matches!(&tokens[index - 1], TokenTree::Punct(previous) if previous.as_char() == '=' && previous.spacing() == Spacing::Joint)
}

fn group_item(group: &proc_macro2::Group, in_async: bool, braces: Braces) -> ScopeItem {
    ScopeItem::Group {
        delimiter: group.delimiter(),
        span: group.delim_span(),
        body: body(group.stream().into_iter().collect(), in_async, braces),
    }
}

/// Whether a statement (not only an expression) may begin at `index`.
fn statement_start(tokens: &[TokenTree], index: usize, in_braces: bool) -> bool {
    if index == 0 {
        return in_braces;
    }
    match &tokens[index - 1] {
        TokenTree::Punct(punct) => punct.as_char() == ';',
        TokenTree::Group(group) => {
            group.delimiter() == Delimiter::Brace
                || (is_attribute(tokens, index - 1)
                    && statement_start(tokens, index - 2, in_braces))
        }
        _ => false,
    }
}

/// Whether `tokens[index]` is the `[...]` of an attribute, `#[...]` (or an
/// inner one, `#![...]`): what follows it starts a statement or an
/// expression as the attribute did.
fn is_attribute(tokens: &[TokenTree], index: usize) -> bool {
    matches!(&tokens[index], TokenTree::Group(group) if group.delimiter() == Delimiter::Bracket)
        && index > 0
        && matches!(&tokens[index - 1], TokenTree::Punct(punct) if punct.as_char() == '#' || (punct.as_char() == '!' && index > 1 && matches!(&tokens[index - 2], TokenTree::Punct(hash) if hash.as_char() == '#')))
}

/// Whether an expression may begin right after `tokens[index]`.
fn starts_expression_after(tokens: &[TokenTree], index: usize) -> bool {
    let after_joint = index > 0
        && matches!(&tokens[index - 1], TokenTree::Punct(previous) if previous.spacing() == Spacing::Joint);
    match &tokens[index] {
        TokenTree::Punct(punct) => match punct.as_char() {
            ';' | ',' => true,
            // `let h = spawn ...` (a lone `=`, not `==`, `<=`, `+=`...)
            '=' => punct.spacing() == Spacing::Alone && !after_joint,
            // a match arm: `pattern => spawn ...`
            '>' => {
                after_joint
                    && matches!(&tokens[index - 1], TokenTree::Punct(previous) if previous.as_char() == '=')
            }
            // a closure's body: `|name| spawn ...`, `|| spawn ...`
            '|' => punct.spacing() == Spacing::Alone,
            // a struct literal's field: `Pair { left: spawn ... }` (a lone
            // `:`, not the second of a path's `::`)
            ':' => {
                punct.spacing() == Spacing::Alone
                    && !matches!(index.checked_sub(1).map(|i| &tokens[i]), Some(TokenTree::Punct(previous)) if previous.as_char() == ':')
            }
            _ => false,
        },
        TokenTree::Group(group) => {
            group.delimiter() == Delimiter::Brace || is_attribute(tokens, index)
        }
        TokenTree::Ident(ident) => ident == "return" || ident == "break",
        TokenTree::Literal(_) => false,
    }
}

/// Whether the `spawn` at `index` is the DSL's: it has a `=>` before the end
/// of its expression; or, at the start of a statement, it is followed by
/// what can only begin a spawn missing its name or arrow (a literal, a path,
/// a closure's `|`, a block), so that the mistake is reported rather than
/// passed to rustc. Anything Rust can put after a variable or a fn of the
/// user's named `spawn` (a call's `(`, an index's `[`, `.`, `;`, `=`, `!`,
/// an operator such as `+=`) leaves it theirs.
fn is_spawn(tokens: &[TokenTree], index: usize, at_statement: bool) -> bool {
    let end = expression_end(tokens, index + 1);
    if arrow_at(&tokens[index + 1..end]).is_some() {
        return true;
    }
    at_statement
        && match tokens.get(index + 1) {
            None => false,
            Some(TokenTree::Group(group)) => group.delimiter() == Delimiter::Brace,
            Some(TokenTree::Punct(punct)) => punct.as_char() == '|',
            Some(TokenTree::Ident(_) | TokenTree::Literal(_)) => true,
        }
}

/// The index of the `;` or `,` ending the expression that starts at `from`
/// (commas inside a turbofish's `<...>` do not end it), or the end.
fn expression_end(tokens: &[TokenTree], from: usize) -> usize {
    let mut angle_depth = 0_usize;
    // After a closure's `->`, the return type runs to the `{` of its body.
    let mut in_return_type = false;
    for (offset, token) in tokens[from..].iter().enumerate() {
        let at = from + offset;
        match token {
            TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => {
                in_return_type = false;
            }
            TokenTree::Punct(punct) => match punct.as_char() {
                ';' => return at,
                ',' if angle_depth == 0 && !in_return_type => return at,
                '>' if follows_char(tokens, at, '-') => in_return_type = true,
                '<' if angle_depth > 0 || follows_path_separator(tokens, at) => angle_depth += 1,
                '>' if angle_depth > 0 && !follows_char(tokens, at, '=') => angle_depth -= 1,
                _ => {}
            },
            _ => {}
        }
    }
    tokens.len()
}

/// Whether `tokens[at]` comes right after `::` (a turbofish's `<`).
fn follows_path_separator(tokens: &[TokenTree], at: usize) -> bool {
    at >= 2 && follows_char(tokens, at, ':') && follows_char(tokens, at - 1, ':')
}

/// Whether `tokens[at - 1]` is the punctuation `ch`, joined to `tokens[at]`.
fn follows_char(tokens: &[TokenTree], at: usize, ch: char) -> bool {
    at >= 1
        && matches!(&tokens[at - 1], TokenTree::Punct(punct) if punct.as_char() == ch && punct.spacing() == Spacing::Joint)
}

/// The position of the first top-level `=>` in `tokens`.
fn arrow_at(tokens: &[TokenTree]) -> Option<usize> {
    tokens.windows(2).position(|pair| {
        matches!(&pair[0], TokenTree::Punct(eq) if eq.as_char() == '=' && eq.spacing() == Spacing::Joint)
            && matches!(&pair[1], TokenTree::Punct(gt) if gt.as_char() == '>')
    })
}

/// Reads `spawn NAME => WORKER` from `tokens[keyword..]`; returns it and the
/// index just past it (the `;` or `,` is left for the caller).
fn spawn_site(
    tokens: &[TokenTree],
    keyword: usize,
    release: Option<proc_macro2::Span>,
    in_async: bool,
) -> (SpawnSite, usize) {
    let end = expression_end(tokens, keyword + 1);
    let rest = &tokens[keyword + 1..end];
    let (name, arrow, worker): (TokenStream, _, TokenStream) = match arrow_at(rest) {
        Some(at) => (
            rest[..at].iter().cloned().collect(),
            Some(rest[at].span()),
            rest[at + 2..].iter().cloned().collect(),
        ),
        None => (TokenStream::new(), None, rest.iter().cloned().collect()),
    };
    // The worker may spawn into the scope itself (a child starting its
    // siblings): its tokens are searched like the block's.
    let worker_body = body(worker.clone().into_iter().collect(), in_async, Braces::None);
    let site = SpawnSite {
        release,
        keyword: tokens[keyword].span(),
        name,
        arrow,
        worker,
        worker_body,
    };
    (site, end)
}

fn is_ident(token: Option<&TokenTree>, name: &str) -> bool {
    matches!(token, Some(TokenTree::Ident(ident)) if ident == name)
}

fn is_punct(token: Option<&TokenTree>, ch: char) -> bool {
    matches!(token, Some(TokenTree::Punct(punct)) if punct.as_char() == ch)
}
