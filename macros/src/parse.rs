//! Stage one: the user's tokens into this crate's model. Only what cannot be
//! understood at all is an error here; mistakes in what was understood are
//! `check`'s to report.

use crate::model::{
    CRATE, DEADLINE, EntryFn, EntryKind, EntryOptions, FIRST_SUCCESS, MOVE_ON_AFTER, OPTIONS,
    QUORUM, ScopeBody, ScopeInput, ScopeItem, ScopeOption, SpawnSite, WorkerFn, Written,
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
    let mut console = None;
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
        } else if meta.path.is_ident("console") {
            // `console` alone turns it on; `console = BOOL` says which.
            set_once(&mut console, &meta, "console", |meta| {
                if meta.input.peek(syn::Token![=]) {
                    bool_value(meta)
                } else {
                    Ok(syn::LitBool::new(
                        true,
                        syn::spanned::Spanned::span(&meta.path),
                    ))
                }
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
                 `profile = \"path\"`, `trace = \"path\"`, `console` and `crate = \"path\"`",
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
        console,
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

/// The `crate = "path"` among an attribute's arguments, read on its own:
/// what the fallback names more_threads by when another argument (or the
/// item) is wrong. The default when there is none, or none that reads.
pub(crate) fn crate_option(args: TokenStream) -> syn::Path {
    let tokens: Vec<TokenTree> = args.into_iter().collect();
    tokens
        .windows(3)
        .find_map(|window| match window {
            [
                TokenTree::Ident(option),
                TokenTree::Punct(equals),
                TokenTree::Literal(path),
            ] if option == "crate" && equals.as_char() == '=' => {
                syn::parse2::<syn::LitStr>(TokenTree::Literal(path.clone()).into())
                    .and_then(|path| path.parse())
                    .ok()
            }
            _ => None,
        })
        .unwrap_or_else(default_crate)
}

fn default_crate() -> syn::Path {
    syn::parse_quote!(::more_threads)
}

/// The contents of `scope! { ... }`: the inner attributes at its top (its
/// options, and the block's own), then the block.
pub(crate) fn scope(input: TokenStream) -> syn::Result<ScopeInput> {
    let top = top_of_block(input.into_iter().collect())?;
    let krate = match top
        .options
        .iter()
        .find(|option| option.name == CRATE && matches!(option.written, Written::Attribute))
    {
        Some(option) => crate_path(option)?,
        None => default_crate(),
    };
    Ok(ScopeInput {
        krate,
        options: top.options,
        attributes: top.attributes,
        body: body(top.rest, false, Braces::Block, Syntax::Rust),
    })
}

/// What the top of a scope's block holds.
struct Top {
    options: Vec<ScopeOption>,
    /// The block's own inner attributes, each `#![...]` as written.
    attributes: Vec<TokenStream>,
    /// The tokens after them: the block's statements.
    rest: Vec<TokenTree>,
}

/// Reads the inner attributes at the top of a scope's block: `scope!`'s
/// options, and the block's own.
///
/// An inner attribute is `scope!`'s when one of its items (separated by
/// commas) is named as an option, or as one misspelt ([`misspelt_option`]):
/// its items are then all options, and `check` says what is wrong with any.
/// Any other (`#![allow(...)]`, `#![cfg_attr(...)]`, `#![doc = "..."]`, a
/// tool's `#![rustfmt::skip]`) is the block's, kept as written. No Rust
/// statement begins with `#!`, so every statement of the user's, even
/// `deadline = next;` or `first_success;`, is the block's.
///
/// `crate = "path";`, the statement `scope!` once read as an option (no
/// Rust: `crate` is a keyword), is read at the top too, so that `check`
/// says how it is written now.
fn top_of_block(mut tokens: Vec<TokenTree>) -> syn::Result<Top> {
    let mut options = Vec::new();
    let mut attributes = Vec::new();
    loop {
        match tokens.as_slice() {
            [
                TokenTree::Punct(hash),
                TokenTree::Punct(bang),
                TokenTree::Group(contents),
                ..,
            ] if hash.as_char() == '#'
                && bang.as_char() == '!'
                && contents.delimiter() == Delimiter::Bracket =>
            {
                match attribute_options(contents)? {
                    Some(ours) => options.extend(ours),
                    None => attributes.push(tokens[..3].iter().cloned().collect()),
                }
                tokens.drain(..3);
            }
            [TokenTree::Ident(keyword), TokenTree::Punct(equals), ..]
                if keyword == CRATE
                    && equals.as_char() == '='
                    && !(equals.spacing() == Spacing::Joint
                        && (is_punct(tokens.get(2), '=') || is_punct(tokens.get(2), '>'))) =>
            {
                let semi = tokens.iter().position(|token| is_punct(Some(token), ';'));
                let value_end = semi.unwrap_or(tokens.len());
                let last = tokens[value_end.min(tokens.len() - 1)].span();
                let value =
                    syn::parse2::<syn::Expr>(tokens[2..value_end].iter().cloned().collect());
                options.push(ScopeOption {
                    name: keyword.clone(),
                    value: Some((equals.span(), value.ok())),
                    written: Written::Statement(last),
                });
                tokens.drain(..semi.map_or(tokens.len(), |at| at + 1));
            }
            _ => break,
        }
    }
    Ok(Top {
        options,
        attributes,
        rest: tokens,
    })
}

/// Whether `name` is an option's, or a misspelt option's.
pub(crate) fn named_as_ours(name: &str) -> bool {
    OPTIONS.contains(&name) || misspelt_option(name).is_some()
}

/// The options an inner attribute's `[...]` holds, if it is `scope!`'s.
fn attribute_options(contents: &proc_macro2::Group) -> syn::Result<Option<Vec<ScopeOption>>> {
    let first_is_ours = matches!(
        contents.stream().into_iter().next(),
        Some(TokenTree::Ident(name)) if named_as_ours(&name.to_string())
    );
    let items = syn::parse::Parser::parse2(
        |input: syn::parse::ParseStream<'_>| {
            syn::punctuated::Punctuated::<ScopeOption, syn::Token![,]>::parse_terminated_with(
                input,
                attribute_item,
            )
        },
        contents.stream(),
    );
    match items {
        Ok(items)
            if items
                .iter()
                .any(|item| named_as_ours(&item.name.to_string())) =>
        {
            Ok(Some(items.into_iter().collect()))
        }
        // Ours, written so that it does not read: say where.
        Err(error) if first_is_ours => Err(error),
        _ => Ok(None),
    }
}

/// One item of an attribute that may be `scope!`'s: `NAME`,
/// `NAME = VALUE`, `NAME(VALUE)`, or `NAME VALUE`.
fn attribute_item(input: syn::parse::ParseStream<'_>) -> syn::Result<ScopeOption> {
    let name: syn::Ident = input.call(syn::ext::IdentExt::parse_any)?;
    let (value, written) = if input.peek(syn::Token![=]) {
        let equals: syn::Token![=] = input.parse()?;
        let value = if input.is_empty() || input.peek(syn::Token![,]) {
            None
        } else {
            Some(input.parse::<syn::Expr>()?)
        };
        (Some((equals.span, value)), Written::Attribute)
    } else if input.peek(syn::token::Paren) {
        let inside;
        let parentheses = syn::parenthesized!(inside in input);
        let value = syn::parse2::<syn::Expr>(inside.parse()?).ok();
        (Some((parentheses.span.join(), value)), Written::Call)
    } else if input.is_empty() || input.peek(syn::Token![,]) {
        (None, Written::Attribute)
    } else {
        // `NAME VALUE`, its `=` missing.
        let at = input.span();
        (
            Some((at, Some(input.parse::<syn::Expr>()?))),
            Written::WithoutEquals,
        )
    };
    Ok(ScopeOption {
        name,
        value,
        written,
    })
}

/// The policy option that `name` looks like a misspelling of (at most two
/// letters off, or another library's name for one), if any: read as an option, so
/// that the mistake is said. An attribute of rustc's never is.
pub(crate) fn misspelt_option(name: &str) -> Option<&'static str> {
    if RUSTC_ATTRIBUTES.contains(&name) {
        return None;
    }
    let aliases = [
        ("timeout", DEADLINE),
        ("fail_after", DEADLINE),
        ("move_on", MOVE_ON_AFTER),
    ];
    if let Some((_, option)) = aliases.iter().find(|(alias, _)| *alias == name) {
        return Some(option);
    }
    // Not `crate`: two letters off it is too many short words (`race`).
    [DEADLINE, MOVE_ON_AFTER, FIRST_SUCCESS, QUORUM]
        .into_iter()
        .find(|option| *option != name && edit_distance(option, name) <= 2)
}

/// The attributes of rustc's written as one word: a block's inner
/// attributes are among them (the lint levels, `cfg`, `cfg_attr`, `doc`),
/// and none is ever taken for a misspelt option.
pub(crate) const RUSTC_ATTRIBUTES: &[&str] = &[
    "allow",
    "expect",
    "warn",
    "deny",
    "forbid",
    "cfg",
    "cfg_attr",
    "doc",
    "deprecated",
    "must_use",
    "inline",
    "cold",
    "track_caller",
    "no_mangle",
    "export_name",
    "link_section",
    "used",
    "repr",
    "derive",
    "test",
    "ignore",
    "should_panic",
    "macro_use",
    "macro_export",
    "path",
    "no_std",
    "no_main",
    "no_implicit_prelude",
    "non_exhaustive",
    "recursion_limit",
    "type_length_limit",
    "crate_name",
    "crate_type",
    "feature",
    "target_feature",
    "instruction_set",
    "windows_subsystem",
    "panic_handler",
    "global_allocator",
    "automatically_derived",
    "proc_macro",
    "proc_macro_derive",
    "proc_macro_attribute",
    "link",
    "link_name",
    "link_ordinal",
    "no_link",
    "no_builtins",
    "debugger_visualizer",
    "collapse_debuginfo",
    "naked",
    "unsafe",
    "coverage",
    "diagnostic",
    "optimize",
    "thread_local",
];

/// The number of letters to insert, remove or change to make `a` into `b`.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// The path of `#![crate = "path"]`: more_threads, re-exported.
fn crate_path(option: &ScopeOption) -> syn::Result<syn::Path> {
    match &option.value {
        Some((
            _,
            Some(syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(path),
                ..
            })),
        )) => path.parse(),
        Some((equals, _)) => Err(syn::Error::new(
            *equals,
            "write the path as a string: `#![crate = \"my_crate::more_threads\"]`",
        )),
        None => Err(syn::Error::new(
            option.name.span(),
            "`crate` names the path more_threads is reached by: write \
             `#![crate = \"my_crate::more_threads\"]`",
        )),
    }
}

/// Finds the spawn expressions (and what `check` must look at) in a token
/// sequence, descending into every group.
///
/// A `spawn` is the DSL's where an expression may begin (not in a pattern,
/// nor among a closure's parameters), when [`spawn_form`] says so: in the
/// user's Rust, that is whenever the tokens after it cannot follow a
/// variable or a fn of the user's named `spawn`, or are std's spelling of a
/// spawn; in someone else's syntax (another macro's arguments, an
/// attribute) and in the head of an `if`, `while` or `match`, only when it
/// has its `=>`.
fn body(tokens: Vec<TokenTree>, in_async: bool, braces: Braces, syntax: Syntax) -> ScopeBody {
    let in_match = braces == Braces::MatchArms;
    let mut items = Vec::new();
    let mut index = 0;
    // Where an expression may begin: `spawn` is the DSL's only there.
    let mut expression_start = true;
    // In a match's arms, before an arm's `=>`: a pattern, where `spawn`
    // is a binding of the user's (`spawn => ...`, `spawn @ 1..=5 => ...`).
    let mut in_pattern = in_match;
    // Between a closure's `|`s: `spawn` there is a parameter of the user's.
    let mut in_parameters = false;
    // In the head of an `if`, `while` or `match`, whose block follows: a
    // `spawn` there is a variable of the user's unless it has its `=>`
    // (`if let Some(job) = spawn { ... }`, `while ready || spawn { ... }`).
    let mut condition = Condition::None;
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
                items.push(group_item(group, in_async, Braces::Block, syntax));
                index += 1;
                in_pattern = true;
                expression_start = false;
                condition = Condition::None;
                continue;
            }
            _ => {}
        }
        let reading = if syntax == Syntax::Foreign || condition != Condition::None {
            Reading::ArrowOnly
        } else {
            Reading::Rust
        };
        let spawn = if expression_start && !in_pattern && !in_parameters {
            spawn_at(&tokens, index, reading)
        } else {
            None
        };
        if let Some((keyword, form)) = spawn {
            let release = (keyword != index).then(|| token.span());
            let (site, end) = spawn_site(&tokens, keyword, release, form, in_async, syntax);
            items.push(ScopeItem::Spawn(site));
            index = end;
            expression_start = false;
            continue;
        }
        match token {
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
                    let parameters_end = closure_parameters_end(&tokens, index);
                    items.extend(
                        tokens[index..=parameters_end]
                            .iter()
                            .cloned()
                            .map(ScopeItem::Token),
                    );
                    let end = expression_end(&tokens, parameters_end + 1);
                    let closure_body = body(
                        tokens[parameters_end + 1..end].to_vec(),
                        true,
                        Braces::None,
                        syntax,
                    );
                    items.extend(closure_body.items);
                    index = end;
                    expression_start = false;
                    continue;
                }
                while let Some(token) = tokens.get(index) {
                    if let TokenTree::Group(group) = token {
                        if group.delimiter() == Delimiter::Brace {
                            items.push(group_item(group, true, Braces::Block, syntax));
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
        let closes_parameters = in_parameters && is_punct(Some(token), '|');
        if closes_parameters {
            in_parameters = false;
        } else if is_punct(Some(token), '|')
            && !in_pattern
            && (expression_start || is_ident(index.checked_sub(1).map(|i| &tokens[i]), "move"))
        {
            // A closure's parameters begin (`||` has none: its second `|`
            // ends them at once).
            in_parameters = true;
        }
        condition = condition.after(&tokens, index);
        expression_start = closes_parameters || starts_expression_after(&tokens, index);
        items.push(match token {
            TokenTree::Group(group) => group_item(
                group,
                in_async,
                braces_of(&tokens, index, group),
                syntax_of(&tokens, index, syntax),
            ),
            other => ScopeItem::Token(other.clone()),
        });
        index += 1;
    }
    ScopeBody { items }
}

/// Whose syntax a token sequence is, as far as finding spawns goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Syntax {
    /// The user's Rust: the block, its groups, and the arguments of the
    /// standard macros whose arguments are expressions (`vec!`, `println!`).
    Rust,
    /// The arguments of any other macro, or an attribute: someone else's
    /// syntax, where only `spawn NAME => WORKER` is a spawn.
    Foreign,
}

/// The macros whose arguments are expressions of the user's Rust (the
/// standard library's, `log`'s and `tracing`'s): a spawn in them is found
/// as in the block. (`matches!` takes a pattern, and is not one of them.)
const EXPRESSION_MACROS: &[&str] = &[
    "assert",
    "assert_eq",
    "assert_ne",
    "dbg",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "eprint",
    "eprintln",
    "format",
    "format_args",
    "panic",
    "print",
    "println",
    "todo",
    "unimplemented",
    "unreachable",
    "vec",
    "write",
    "writeln",
    "debug",
    "error",
    "info",
    "trace",
    "warn",
];

/// The syntax of the group at `tokens[index]`, inside tokens of `syntax`.
fn syntax_of(tokens: &[TokenTree], index: usize, syntax: Syntax) -> Syntax {
    let before = |back: usize| index.checked_sub(back).map(|at| &tokens[at]);
    // An attribute, or the rules of a `macro_rules! name { ... }`.
    if syntax == Syntax::Foreign
        || is_attribute(tokens, index)
        || (is_ident(before(3), "macro_rules") && is_punct(before(2), '!'))
    {
        return Syntax::Foreign;
    }
    // A macro's arguments: `name!(...)` (`if !(...)` is no macro).
    let macro_name = match (before(2), before(1)) {
        (Some(TokenTree::Ident(name)), Some(TokenTree::Punct(bang))) if bang.as_char() == '!' => {
            Some(name)
        }
        _ => None,
    };
    match macro_name {
        Some(name) if KEYWORDS_BEFORE_NOT.iter().any(|keyword| name == keyword) => Syntax::Rust,
        Some(name) if EXPRESSION_MACROS.iter().any(|known| name == known) => Syntax::Rust,
        Some(_) => Syntax::Foreign,
        None => Syntax::Rust,
    }
}

/// Keywords an expression may follow, so that `keyword !(...)` is a `!`
/// and not a macro.
const KEYWORDS_BEFORE_NOT: &[&str] = &[
    "if", "while", "match", "return", "break", "in", "else", "let", "move", "yield",
];

/// How far a `spawn` in the head of an `if`, `while` or `match` may be the
/// user's: there until the block of the head.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Condition {
    None,
    /// `binds`: an `if let` (or `while let`), whose pattern may hold a
    /// struct's braces before its `=`; `bound`: its `=` is past.
    Head {
        binds: bool,
        bound: bool,
    },
}

impl Condition {
    /// The state after `tokens[index]`.
    fn after(self, tokens: &[TokenTree], index: usize) -> Condition {
        let after_joint = index > 0
            && matches!(&tokens[index - 1], TokenTree::Punct(previous) if previous.spacing() == Spacing::Joint);
        match (&tokens[index], self) {
            (TokenTree::Ident(word), _) if word == "if" || word == "while" || word == "match" => {
                Condition::Head {
                    binds: false,
                    bound: false,
                }
            }
            (TokenTree::Ident(word), Condition::Head { .. }) if word == "let" => Condition::Head {
                binds: true,
                bound: false,
            },
            // The `=` of `let PATTERN = VALUE` (not `..=`, `==`, `=>`; it
            // may be joined to what begins the value, as in `= -1`).
            (TokenTree::Punct(punct), Condition::Head { binds: true, .. })
                if punct.as_char() == '='
                    && !after_joint
                    && !is_punct(tokens.get(index + 1), '=')
                    && !is_punct(tokens.get(index + 1), '>') =>
            {
                Condition::Head {
                    binds: true,
                    bound: true,
                }
            }
            (TokenTree::Punct(punct), _)
                if matches!(punct.as_char(), ';' | ',') || is_arrow_end(tokens, index, punct) =>
            {
                Condition::None
            }
            (TokenTree::Group(group), Condition::Head { binds, bound })
                if group.delimiter() == Delimiter::Brace && (!binds || bound) =>
            {
                Condition::None
            }
            (_, condition) => condition,
        }
    }
}

/// How much tells a `spawn` apart from a name of the user's.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// The user's Rust, outside a condition: see [`spawn_form`].
    Rust,
    /// Only the `=>` does.
    ArrowOnly,
}

/// How a spawn of the DSL's is written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    /// `spawn NAME => WORKER` (the name, the worker, or both may be missing).
    Arrow,
    /// Without `=>`: `spawn |please_stop| ...`, `spawn work()`,
    /// `spawn { ... }`, `spawn "name" |please_stop| ...`.
    Bare,
    /// std's spelling: `spawn(|please_stop| ...)`, `spawn("name", ...)`.
    Call,
}

/// The spawn that begins at `tokens[index]`, where an expression may begin:
/// the index of its `spawn` keyword (after `release`, if written), and how
/// it is written.
fn spawn_at(tokens: &[TokenTree], index: usize, reading: Reading) -> Option<(usize, Form)> {
    match &tokens[index] {
        TokenTree::Ident(word) if word == "release" && is_ident(tokens.get(index + 1), "spawn") => {
            spawn_form(tokens, index + 1, reading, true).map(|form| (index + 1, form))
        }
        TokenTree::Ident(word) if word == "spawn" => {
            spawn_form(tokens, index, reading, false).map(|form| (index, form))
        }
        _ => None,
    }
}

/// Whether the `spawn` at `index` is the DSL's, and how it is written.
///
/// It is when it has a `=>` before the end of its expression. In the
/// user's Rust, it also is when what follows it cannot follow a variable or
/// a fn of the user's named `spawn`: a literal, a word (but `as`, `else`),
/// a block, or a closure's `|...|` (`spawn || ...` too, which a `bool`
/// named `spawn` could mean, and is read as the spawn); and when it is
/// std's spelling, a call with a closure among its arguments
/// (`spawn(|please_stop| ...)`). Any other call (`spawn(3)`), an index,
/// `.`, `;`, `=`, `!`, `::`, an operator leave it the user's. After
/// `release` (two words in a row are never Rust), it is the DSL's whatever
/// follows.
fn spawn_form(
    tokens: &[TokenTree],
    index: usize,
    reading: Reading,
    released: bool,
) -> Option<Form> {
    let end = expression_end(tokens, index + 1);
    if arrow_at(&tokens[index + 1..end]).is_some() {
        return Some(Form::Arrow);
    }
    if reading == Reading::ArrowOnly {
        return None;
    }
    let form = match tokens.get(index + 1) {
        None => None,
        Some(TokenTree::Literal(_)) => Some(Form::Bare),
        Some(TokenTree::Ident(word)) => (word != "as" && word != "else").then_some(Form::Bare),
        Some(TokenTree::Group(group)) => match group.delimiter() {
            Delimiter::Brace => Some(Form::Bare),
            Delimiter::Parenthesis if released || holds_a_closure(group) => Some(Form::Call),
            _ => None,
        },
        Some(TokenTree::Punct(bar)) if bar.as_char() == '|' => tokens[index + 2..end]
            .iter()
            .any(|token| is_punct(Some(token), '|'))
            .then_some(Form::Bare),
        Some(TokenTree::Punct(_)) => None,
    };
    if released {
        form.or(Some(Form::Bare))
    } else {
        form
    }
}

/// Whether one of a call's arguments is a closure.
fn holds_a_closure(arguments: &proc_macro2::Group) -> bool {
    let tokens: Vec<TokenTree> = arguments.stream().into_iter().collect();
    split_arguments(&tokens)
        .iter()
        .any(|argument| starts_a_closure(argument))
}

/// A call's arguments, split at their commas.
fn split_arguments(tokens: &[TokenTree]) -> Vec<&[TokenTree]> {
    let mut arguments = Vec::new();
    let mut start = 0;
    while start < tokens.len() {
        // A closure's parameters may hold commas: its body starts after them.
        let body = if starts_a_closure(&tokens[start..]) {
            closure_parameters_end(
                tokens,
                start + usize::from(is_ident(tokens.get(start), "move")),
            ) + 1
        } else {
            start
        };
        let end = expression_end(tokens, body);
        arguments.push(&tokens[start..end]);
        start = end + 1;
    }
    arguments
}

/// Whether tokens begin with a closure: `|`, or `move |`.
fn starts_a_closure(tokens: &[TokenTree]) -> bool {
    match tokens {
        [TokenTree::Ident(word), rest @ ..] if word == "move" => is_punct(rest.first(), '|'),
        _ => is_punct(tokens.first(), '|'),
    }
}

/// The index of the `|` ending the parameters of the closure whose first
/// `|` is at `open` (`open + 1` for `||`), or the last token.
fn closure_parameters_end(tokens: &[TokenTree], open: usize) -> usize {
    (open + 1..tokens.len())
        .find(|&at| is_punct(tokens.get(at), '|'))
        .unwrap_or(tokens.len() - 1)
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

fn group_item(
    group: &proc_macro2::Group,
    in_async: bool,
    braces: Braces,
    syntax: Syntax,
) -> ScopeItem {
    ScopeItem::Group {
        delimiter: group.delimiter(),
        span: group.delim_span(),
        body: body(
            group.stream().into_iter().collect(),
            in_async,
            braces,
            syntax,
        ),
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

/// Reads the spawn whose keyword is `tokens[keyword]`, written in `form`;
/// returns it and the index just past it (the `;` or `,` is left for the
/// caller; after std's spelling, `spawn(...)`, what follows the call is
/// too, as in `spawn(...).join()`).
fn spawn_site(
    tokens: &[TokenTree],
    keyword: usize,
    release: Option<proc_macro2::Span>,
    form: Form,
    in_async: bool,
    syntax: Syntax,
) -> (SpawnSite, usize) {
    let collect = |tokens: &[TokenTree]| tokens.iter().cloned().collect::<TokenStream>();
    let mut call = None;
    let (name, arrow, worker, end) = match (form, tokens.get(keyword + 1)) {
        (Form::Call, Some(TokenTree::Group(arguments))) => {
            // The closure is the worker; the other arguments, the name.
            call = Some(arguments.span());
            let inside: Vec<TokenTree> = arguments.stream().into_iter().collect();
            let arguments = split_arguments(&inside);
            let closure = arguments
                .iter()
                .position(|argument| starts_a_closure(argument));
            let mut name = TokenStream::new();
            for (at, argument) in arguments.iter().enumerate() {
                if Some(at) != closure {
                    if !name.is_empty() {
                        name.extend(quote::quote!(,));
                    }
                    name.extend(collect(argument));
                }
            }
            let worker = closure.map_or_else(TokenStream::new, |at| collect(arguments[at]));
            (name, None, worker, keyword + 2)
        }
        _ => {
            let end = expression_end(tokens, keyword + 1);
            let rest = &tokens[keyword + 1..end];
            match (arrow_at(rest), rest.first()) {
                (Some(at), _) => (
                    collect(&rest[..at]),
                    Some(rest[at].span()),
                    collect(&rest[at + 2..]),
                    end,
                ),
                // `spawn "name" |please_stop| ...`: a name, its `=>` missing.
                (None, Some(TokenTree::Literal(_))) => {
                    (collect(&rest[..1]), None, collect(&rest[1..]), end)
                }
                (None, _) => (TokenStream::new(), None, collect(rest), end),
            }
        }
    };
    // The worker may spawn into the scope itself (a child starting its
    // siblings): its tokens are searched like the block's.
    let worker_body = body(
        worker.clone().into_iter().collect(),
        in_async,
        Braces::None,
        syntax,
    );
    let site = SpawnSite {
        release,
        keyword: tokens[keyword].span(),
        call,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The spawns `scope!` finds in `input`, at any depth, each as
    /// `FORM [NAME] [WORKER]`.
    fn spawns(input: &str) -> Vec<String> {
        let tokens: TokenStream = input.parse().expect("the case's tokens");
        let scope = scope(tokens).expect("a scope's contents");
        let mut found = Vec::new();
        collect(&scope.body, &mut found);
        found
    }

    fn collect(body: &ScopeBody, found: &mut Vec<String>) {
        for item in &body.items {
            match item {
                ScopeItem::Spawn(site) => {
                    let form = match (site.call, site.arrow) {
                        (Some(_), _) => "call",
                        (None, Some(_)) => "arrow",
                        (None, None) => "bare",
                    };
                    found.push(format!("{form} [{}] [{}]", site.name, site.worker));
                    collect(&site.worker_body, found);
                }
                ScopeItem::Group { body, .. } => collect(body, found),
                _ => {}
            }
        }
    }

    /// The `console` option of `#[more_threads::main(ARGS)]`, as read.
    fn console_of(args: &str) -> syn::Result<Option<bool>> {
        let args: TokenStream = args.parse().expect("the case's tokens");
        let item: TokenStream = "fn main() {}".parse().expect("a fn");
        entry(EntryKind::Main, args, item).map(|entry| entry.options.console.map(|c| c.value))
    }

    #[test]
    fn console_alone_turns_the_console_on_and_takes_a_bool_too() {
        assert_eq!(console_of("").ok(), Some(None));
        assert_eq!(console_of("console").ok(), Some(Some(true)));
        assert_eq!(console_of("console = false").ok(), Some(Some(false)));
        assert_eq!(console_of("logger = false, console").ok(), Some(Some(true)));
        let twice = console_of("console, console = true")
            .err()
            .map(|e| e.to_string());
        assert_eq!(twice.as_deref(), Some("`console` set multiple times"));
    }

    #[test]
    fn a_spawn_written_wrong_is_found_wherever_an_expression_begins() {
        for input in [
            "spawn |p| 1;",
            "let h = spawn |p| 1;",
            "handles.push(spawn |p| 1);",
            "names.iter().map(|n| spawn move |p| n.len());",
            "names.iter().map(move |n| spawn |p| n);",
            "match x { 0 => spawn |p| 0, _ => 1 }",
            "let h = { let b = 2; spawn move |p| b };",
            "release spawn |p| p.wait();",
            "Pair { left: spawn |p| 1 };",
            "vec![spawn |p| 1];",
            "println!(\"{:?}\", spawn |p| 1);",
            "return spawn crawl();",
            "let h = spawn crawl();",
            "let h = spawn { 1 };",
            "let h = spawn || 1;",
            "let h = if c { spawn |p| 1 } else { spawn |p| 2 };",
        ] {
            let found = spawns(input);
            assert!(
                !found.is_empty() && found.iter().all(|site| site.starts_with("bare")),
                "`{input}`: found {found:?}, not the spawns without a name"
            );
        }
    }

    #[test]
    fn the_block_of_a_condition_ends_it() {
        for input in [
            "if let x = -1 { x } let h = spawn |p| 1;",
            "if let Foo { a } = foo { a } let h = spawn |p| 1;",
            "if a || b { } else if c { } let h = spawn |p| 1;",
            "match spawn { _ => 1 } let h = spawn |p| 1;",
            "while let Some(x) = stack.pop() { } spawn |p| 1;",
        ] {
            let found = spawns(input);
            assert_eq!(found.len(), 1, "`{input}`: found {found:?}");
        }
    }

    #[test]
    fn std_spelling_is_a_spawn_with_its_closure_as_the_worker() {
        assert_eq!(spawns("spawn(|| 1);"), ["call [] [|| 1]"]);
        assert_eq!(
            spawns("let h = spawn(move |p| 1).join();"),
            ["call [] [move | p | 1]"]
        );
        assert_eq!(
            spawns("let h = spawn(name, |a, b| a);"),
            ["call [name] [| a , b | a]"]
        );
        assert_eq!(spawns("release spawn(3);"), ["call [3] []"]);
    }

    #[test]
    fn a_name_without_its_arrow_is_read_apart_from_its_worker() {
        assert_eq!(
            spawns("let h = spawn \"answer\" |p| 42;"),
            ["bare [\"answer\"] [| p | 42]"]
        );
        assert_eq!(spawns("spawn \"idle\";"), ["bare [\"idle\"] []"]);
    }

    #[test]
    fn names_of_the_users_stay_theirs() {
        for input in [
            "spawn(3);",
            "let local = spawn(release) + spawn(1);",
            "let job = spawn(job);",
            "(spawn)(|| 1);",
            "self::spawn(|| 1);",
            "std::thread::spawn(|| 1);",
            "s.spawn(|| 1);",
            "let x = spawn + 1;",
            "let x = spawn | 1;",
            "spawn += 1;",
            "spawns[0] = spawn[1];",
            "let x = spawn as u64;",
            "let Some(v) = spawn else { return };",
            "let spawn = 1;",
            "xs.iter().map(|spawn| spawn + 1);",
            "xs.iter().map(move |a, spawn| a);",
            "if let Some(x) = spawn { x } else { 0 }",
            "while ready || spawn { }",
            "if let 1..=5 = spawn { }",
            "match v { spawn => spawn, }",
            "match v { Some(spawn) if spawn > 1 => spawn, _ => 0 }",
            "Counter { spawn, other: 1 };",
            "Counter { spawn: 1 };",
            "spawn::Mode::Fast;",
            "spawn!(x);",
            "twice!(spawn 21);",
            "twice! { spawn 21 }",
            "macro_rules! m { (spawn $x:expr) => { $x }; ($a:tt, spawn $b:tt) => {} }",
            "#[my(spawn x)] fn f() {}",
            "use a::{spawn as other, spawn};",
            "'spawn: loop { break 'spawn; }",
        ] {
            let found = spawns(input);
            assert!(found.is_empty(), "`{input}`: read as spawns {found:?}");
        }
    }

    /// The options `scope!` reads at the top of `input`, each as
    /// `NAME[ = VALUE]`, `NAME(VALUE)` or `NAME = VALUE;`; the block's own
    /// attributes; and the first token of its statements.
    fn top(input: &str) -> (Vec<String>, Vec<String>, Option<String>) {
        let tokens: TokenStream = input.parse().expect("the case's tokens");
        let top = top_of_block(tokens.into_iter().collect()).expect("a top that reads");
        let options = top
            .options
            .iter()
            .map(|option| {
                let value = match &option.value {
                    Some((_, Some(value))) => quote::quote!(#value).to_string(),
                    _ => String::new(),
                };
                match (option.written, &option.value) {
                    (Written::Attribute, None) => option.name.to_string(),
                    (Written::Attribute, Some(_)) => format!("{} = {value}", option.name),
                    (Written::Call, _) => format!("{}({value})", option.name),
                    (Written::WithoutEquals, _) => format!("{} {value}", option.name),
                    (Written::Statement(_), _) => format!("{} = {value};", option.name),
                }
            })
            .collect();
        let attributes = top.attributes.iter().map(ToString::to_string).collect();
        (
            options,
            attributes,
            top.rest.first().map(ToString::to_string),
        )
    }

    fn options(input: &str) -> Vec<String> {
        top(input).0
    }

    #[test]
    fn the_options_are_inner_attributes_at_the_top_of_the_block() {
        assert_eq!(
            options("#![first_success] #![deadline = Duration::from_secs(2)] for m in ms { }"),
            ["first_success", "deadline = Duration :: from_secs (2)"]
        );
        assert_eq!(
            options("#![quorum = n + 1] #![crate = \"mt\"] x"),
            ["quorum = n + 1", "crate = \"mt\""]
        );
        assert_eq!(options("#![quorum]"), ["quorum"]);
        assert_eq!(options("#![first_success = 2]"), ["first_success = 2"]);
    }

    #[test]
    fn several_options_may_share_one_attribute() {
        assert_eq!(
            options("#![first_success, deadline = f(a, b),] x"),
            ["first_success", "deadline = f (a , b)"]
        );
        assert_eq!(
            options("#![quorum = 2, allow(unused)]"),
            ["quorum = 2", "allow(unused)"]
        );
    }

    #[test]
    fn a_mistake_in_the_options_is_read_as_an_option_to_say_it() {
        // A misspelt option, or another library's name for one.
        assert_eq!(options("#![dealine = d]"), ["dealine = d"]);
        assert_eq!(options("#![first_sucess]"), ["first_sucess"]);
        assert_eq!(options("#![timeout = d]"), ["timeout = d"]);
        // A value in parentheses, or without its `=`.
        assert_eq!(options("#![quorum(2)]"), ["quorum(2)"]);
        assert_eq!(options("#![quorum 2]"), ["quorum 2"]);
        // The statement scope! once read.
        assert_eq!(
            options("crate = \"mt\"; #![first_success] x"),
            ["crate = \"mt\";", "first_success"]
        );
    }

    #[test]
    fn an_attribute_of_ours_that_does_not_read_is_an_error() {
        for input in ["#![quorum = 2 3]", "#![first_success, deadline = let]"] {
            let tokens: TokenStream = input.parse().expect("the case's tokens");
            assert!(
                top_of_block(tokens.into_iter().collect()).is_err(),
                "`{input}` read"
            );
        }
    }

    #[test]
    fn the_blocks_own_inner_attributes_stay_the_blocks() {
        for input in [
            "#![allow(unused_variables)] let x = 1;",
            "#![deny(warnings)]",
            "#![cfg_attr(all(), allow(dead_code))]",
            "#![doc = \"deadline\"]",
            "#![rustfmt::skip]",
            "#![race]",
            "#![must_use]",
        ] {
            let (options, attributes, _) = top(input);
            assert!(options.is_empty(), "`{input}`: read as options {options:?}");
            assert_eq!(attributes.len(), 1, "`{input}`: kept {attributes:?}");
        }
        let (options, attributes, first) =
            top("#![allow(unused)] #![first_success] #![deny(warnings)] spawn");
        assert_eq!(options, ["first_success"]);
        assert_eq!(attributes, ["#! [allow (unused)]", "#! [deny (warnings)]"]);
        assert_eq!(first.as_deref(), Some("spawn"));
    }

    #[test]
    fn statements_of_the_users_start_the_block() {
        for (input, first) in [
            ("deadline = next; spawn \"a\" => w();", "deadline"),
            ("quorum = 3;", "quorum"),
            ("first_success;", "first_success"),
            ("timeout = x;", "timeout"),
            ("dealine = x;", "dealine"),
            ("race;", "race"),
            ("crate::f();", "crate"),
            ("return;", "return"),
            ("deadline == now;", "deadline"),
            ("#[allow(unused)] let deadline = 1;", "#"),
        ] {
            let (options, attributes, start) = top(input);
            assert!(
                options.is_empty() && attributes.is_empty(),
                "`{input}`: read as options {options:?} and attributes {attributes:?}"
            );
            assert_eq!(start.as_deref(), Some(first), "`{input}`");
        }
    }

    #[test]
    fn no_attribute_of_rustcs_reads_as_a_misspelt_option() {
        for name in RUSTC_ATTRIBUTES {
            assert_eq!(misspelt_option(name), None, "`{name}`");
        }
        for (name, option) in [
            ("dealine", DEADLINE),
            ("first_sucess", FIRST_SUCCESS),
            ("quorom", QUORUM),
            ("move_on_afer", MOVE_ON_AFTER),
            ("timeout", DEADLINE),
        ] {
            assert_eq!(misspelt_option(name), Some(option), "`{name}`");
        }
    }

    #[test]
    fn in_someone_elses_syntax_a_spawn_with_its_arrow_is_still_the_dsls() {
        assert_eq!(
            spawns("twice!(spawn \"a\" => work());"),
            ["arrow [\"a\"] [work ()]"]
        );
        assert_eq!(
            spawns("if let Some(h) = spawn \"a\" => work() { }"),
            ["arrow [\"a\"] [work () { }]"]
        );
    }
}
