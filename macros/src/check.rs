//! Stage two: every mistake in the model, as a `syn::Error` at the offending
//! tokens whose message says what to write instead. All mistakes are
//! reported at once, combined.

use crate::model::{
    CRATE, DEADLINE, EntryFn, EntryKind, FIRST_SUCCESS, MOVE_ON_AFTER, OPTIONS, QUORUM,
    SCOPE_OPTIONS, ScopeBody, ScopeInput, ScopeItem, ScopeOption, SpawnSite, WorkerFn, Written,
    example,
};
use crate::parse::{RUSTC_ATTRIBUTES, misspelt_option};
use proc_macro2::TokenTree;
use syn::spanned::Spanned;

/// Collects errors, to report them all together.
#[derive(Default)]
struct Errors(Option<syn::Error>);

impl Errors {
    fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(errors) => errors.combine(error),
            None => self.0 = Some(error),
        }
    }

    fn at(&mut self, span: impl Spanned, message: impl std::fmt::Display) {
        self.push(syn::Error::new(span.span(), message));
    }

    fn finish(self) -> syn::Result<()> {
        self.0.map_or(Ok(()), Err)
    }
}

pub(crate) fn worker(worker: &WorkerFn) -> syn::Result<()> {
    let mut errors = Errors::default();
    let signature = &worker.item.sig;
    if let Some(token) = &signature.asyncness {
        errors.at(
            token,
            "a worker runs on an OS thread, not an executor: remove `async` \
             (block on a future inside the worker if you must)",
        );
    }
    if let Some(token) = &signature.constness {
        errors.at(token, "a worker cannot be a `const fn`: remove `const`");
    }
    if let Some(token) = &signature.unsafety {
        errors.at(
            token,
            "a worker cannot be an `unsafe fn`: its body runs later, on another thread; \
             remove `unsafe` and put `unsafe { ... }` blocks inside",
        );
    }
    if let Some(abi) = &signature.abi {
        errors.at(abi, "a worker cannot have an ABI: remove `extern`");
    }
    if let Some(variadic) = &signature.variadic {
        errors.at(variadic, "a worker cannot be variadic");
    }
    for input in &signature.inputs {
        if let syn::FnArg::Typed(typed) = input {
            if matches!(&*typed.pat, syn::Pat::Ident(pattern) if pattern.ident == "please_stop") {
                errors.at(
                    typed,
                    "#[worker] gives the body `please_stop: &Signal` already: \
                     remove this parameter and use `please_stop` in the body",
                );
            } else if let Some(binding) = binds_please_stop(&typed.pat) {
                errors.at(
                    binding,
                    "#[worker] gives the body `please_stop: &Signal` already, and this binding \
                     would hide it: give it another name",
                );
            }
        }
    }
    if let syn::ReturnType::Type(_, output) = &signature.output {
        if let Some(impl_token) = impl_trait_in(output) {
            errors.at(
                impl_token,
                "a worker's value goes to the thread that joins it, so its type is named: \
                 write it (`-> String`), or box it (`-> Box<dyn Display + Send>`)",
            );
        }
    }
    errors.finish()
}

/// The binding named `please_stop` in a parameter's pattern, at any depth
/// (`(please_stop, n): (&str, u32)` would shadow the thread's Signal).
pub(crate) fn binds_please_stop(pattern: &syn::Pat) -> Option<&syn::Ident> {
    match pattern {
        syn::Pat::Ident(binding) if binding.ident == "please_stop" => Some(&binding.ident),
        syn::Pat::Ident(binding) => binding
            .subpat
            .as_ref()
            .and_then(|(_, inner)| binds_please_stop(inner)),
        syn::Pat::Tuple(tuple) => tuple.elems.iter().find_map(binds_please_stop),
        syn::Pat::TupleStruct(tuple) => tuple.elems.iter().find_map(binds_please_stop),
        syn::Pat::Slice(slice) => slice.elems.iter().find_map(binds_please_stop),
        syn::Pat::Struct(record) => record
            .fields
            .iter()
            .find_map(|field| binds_please_stop(&field.pat)),
        syn::Pat::Reference(reference) => binds_please_stop(&reference.pat),
        syn::Pat::Paren(inner) => binds_please_stop(&inner.pat),
        syn::Pat::Type(typed) => binds_please_stop(&typed.pat),
        syn::Pat::Or(or) => or.cases.iter().find_map(binds_please_stop),
        _ => None,
    }
}

/// The first `impl` keyword in a type: a worker's output cannot be an
/// `impl Trait` (nor hold one), since it becomes `impl Worker<T>`'s `T`.
pub(crate) fn impl_trait_in(output: &syn::Type) -> Option<proc_macro2::Span> {
    fn search(tokens: proc_macro2::TokenStream) -> Option<proc_macro2::Span> {
        tokens.into_iter().find_map(|token| match token {
            TokenTree::Ident(ident) if ident == "impl" => Some(ident.span()),
            TokenTree::Group(group) => search(group.stream()),
            _ => None,
        })
    }
    search(quote::ToTokens::to_token_stream(output))
}

pub(crate) fn entry(entry: &EntryFn) -> syn::Result<()> {
    let mut errors = Errors::default();
    let attribute = entry.kind.attribute();
    let signature = &entry.item.sig;
    if entry.kind == EntryKind::Main && signature.ident != "main" {
        errors.at(
            &signature.ident,
            format!(
                "{attribute} goes on `fn main`, the process's entry point; \
                 for a test, use #[more_threads::test]"
            ),
        );
    }
    if let Some(token) = &signature.asyncness {
        errors.at(
            token,
            format!("{attribute} runs on an OS thread, not an executor: remove `async`"),
        );
    }
    if !signature.inputs.is_empty() {
        errors.at(
            &signature.inputs,
            format!(
                "{attribute} takes no parameters: `please_stop` is given to the body; \
                 read arguments with std::env::args()"
            ),
        );
    }
    if !signature.generics.params.is_empty() {
        errors.at(
            &signature.generics,
            format!("{attribute} cannot be generic"),
        );
    }
    let options = &entry.options;
    if entry.kind == EntryKind::Test {
        let main_only = [
            options.shutdown_deadline.as_ref().map(Spanned::span),
            options.handle_signals.as_ref().map(Spanned::span),
            options.logger.as_ref().map(Spanned::span),
            options.dump_on_sigquit.as_ref().map(Spanned::span),
            options.profile.as_ref().map(Spanned::span),
            options.trace.as_ref().map(Spanned::span),
            options.console.as_ref().map(Spanned::span),
        ];
        for span in main_only.into_iter().flatten() {
            errors.at(
                span,
                "this option is for #[more_threads::main]; a test takes only `crate = \"path\"`",
            );
        }
    }
    if let Some(deadline) = &options.shutdown_deadline {
        let seconds = match deadline {
            syn::Lit::Int(int) => int.base10_parse::<f64>().ok(),
            syn::Lit::Float(float) => float.base10_parse::<f64>().ok(),
            _ => None,
        };
        if !seconds.is_some_and(|seconds| seconds.is_finite() && seconds >= 0.0) {
            errors.at(
                deadline,
                "shutdown_deadline is a number of seconds, e.g. `shutdown_deadline = 10` or `= 0.5`",
            );
        }
    }
    errors.finish()
}

pub(crate) fn scope(scope: &ScopeInput) -> syn::Result<()> {
    let mut errors = Errors::default();
    scope_options(&scope.options, &mut errors);
    scope_items(&scope.body, &mut errors);
    if scope.options_are_right() && scope.is_a_race() {
        racers_spawn_nothing(&scope.body, &mut errors);
    }
    errors.finish()
}

/// Whether no racer spawns (always, in a scope that is not a race).
pub(crate) fn racers_are_right(scope: &ScopeInput) -> bool {
    let mut errors = Errors::default();
    if scope.is_a_race() {
        racers_spawn_nothing(&scope.body, &mut errors);
    }
    errors.finish().is_ok()
}

/// Whether a scope's options are right (a scope whose options are wrong
/// is its errors alone: its type depends on them).
pub(crate) fn scope_options_are_right(options: &[ScopeOption]) -> bool {
    let mut errors = Errors::default();
    scope_options(options, &mut errors);
    errors.finish().is_ok()
}

/// Each option, at most one error each: what it is not, in this order:
/// known, in an attribute, given once, alone of its kind, with its value
/// after `=`, the value it takes.
fn scope_options(options: &[ScopeOption], errors: &mut Errors) {
    let mut seen: Vec<&syn::Ident> = Vec::new();
    for option in options {
        let name = option.name.to_string();
        let name = name.as_str();
        if !OPTIONS.contains(&name) {
            errors.at(&option.name, unknown_option(option));
            continue;
        }
        let same = seen.iter().find(|other| **other == name);
        let rival = |a: &str, b: &str| {
            seen.iter()
                .find(|other| (name == a && **other == b) || (name == b && **other == a))
        };
        if let Written::Statement(end) = option.written {
            errors.push(statement_form(option, end));
        } else if same.is_some() {
            errors.at(
                &option.name,
                format!("`{name}` set multiple times: give each option once"),
            );
        } else if let Some(other) = rival(DEADLINE, MOVE_ON_AFTER) {
            errors.at(
                &option.name,
                format!(
                    "a scope has one deadline, and `{other}` set it: keep one, \
                     `#![deadline = ...]` to have the scope fail when it passes, or \
                     `#![move_on_after = ...]` to have it give `None`"
                ),
            );
        } else if let Some(other) = rival(FIRST_SUCCESS, QUORUM) {
            errors.at(
                &option.name,
                format!(
                    "a scope runs one race, and `{other}` set it: keep one, `#![first_success]` \
                     for the first value, or `#![quorum = N]` for the first N in a Vec"
                ),
            );
        } else if let (Written::Call, Some((parentheses, _)), false) =
            (option.written, &option.value, name == FIRST_SUCCESS)
        {
            errors.at(
                *parentheses,
                format!(
                    "`{name}` takes its value after `=`, not in parentheses: write `{}`",
                    example(name)
                ),
            );
        } else if let (Written::WithoutEquals, Some((value, _)), false) =
            (option.written, &option.value, name == FIRST_SUCCESS)
        {
            errors.at(
                *value,
                format!(
                    "write `=` between `{name}` and its value: `{}`",
                    example(name)
                ),
            );
        } else if let Some(wrong) = wrong_value(name, option) {
            errors.push(wrong);
        }
        seen.push(&option.name);
    }
}

/// What an attribute of `scope!`'s says of an item that is no option.
fn unknown_option(option: &ScopeOption) -> String {
    let name = option.name.to_string();
    if RUSTC_ATTRIBUTES.contains(&name.as_str()) {
        // As written, when rustc tells (`allow(unused_variables)`).
        let arguments = match (&option.value, option.written) {
            (Some((parentheses, _)), Written::Call) => parentheses
                .source_text()
                .unwrap_or_else(|| "(...)".to_owned()),
            (Some(_), _) => " = ...".to_owned(),
            (None, _) => String::new(),
        };
        return format!(
            "`{name}` is an attribute of rustc's, not an option of scope!: write it in an \
             attribute of its own, `#![{name}{arguments}]`, apart from the options"
        );
    }
    let guess = misspelt_option(&name)
        .map(|option| format!(" (is it `{option}`?)"))
        .unwrap_or_default();
    format!("unknown option `{name}` for scope!{guess}: the options are {SCOPE_OPTIONS}")
}

/// `crate = "path";`, as `scope!` once read its options: the error, from
/// `crate` to its `;`, saying how it is written now.
fn statement_form(option: &ScopeOption, end: proc_macro2::Span) -> syn::Error {
    let path = match &option.value {
        Some((
            _,
            Some(syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(path),
                ..
            })),
        )) => quote::ToTokens::to_token_stream(path).to_string(),
        _ => "\"my_crate::more_threads\"".to_owned(),
    };
    let name = &option.name;
    let mut last = proc_macro2::Punct::new(';', proc_macro2::Spacing::Alone);
    last.set_span(end);
    syn::Error::new_spanned(
        quote::quote!(#name #last),
        format!(
            "scope!'s options are inner attributes at the top of its block: write \
             `#![crate = {path}]`"
        ),
    )
}

/// What is wrong with an option's value, for its kind.
fn wrong_value(name: &str, option: &ScopeOption) -> Option<syn::Error> {
    let error = |span, message: &str| Some(syn::Error::new(span, message));
    let needs = |span| match name {
        QUORUM => error(
            span,
            "`quorum` takes the number of successes that decide the race: write `#![quorum = 2]`",
        ),
        DEADLINE => error(
            span,
            "`deadline` takes the time the scope has: write \
             `#![deadline = Duration::from_secs(5)]` (a `Duration` from the scope's start, or a \
             `Signal` such as a `Till`)",
        ),
        MOVE_ON_AFTER => error(
            span,
            "`move_on_after` takes the time the scope has: write \
             `#![move_on_after = Duration::from_millis(500)]` (a `Duration` from the scope's \
             start, or a `Signal` such as a `Till`)",
        ),
        _ => None,
    };
    match (name, &option.value) {
        (FIRST_SUCCESS, Some((equals, _))) => error(
            *equals,
            "`first_success` takes no value: write `#![first_success]` (for the first N \
             successes, `#![quorum = N]`)",
        ),
        (FIRST_SUCCESS | CRATE, _) => None,
        (_, None) => needs(option.name.span()),
        (_, Some((equals, None))) => needs(*equals),
        (QUORUM, Some((_, Some(value)))) if is_zero(value) => error(
            value.span(),
            "a quorum needs at least 1 success: `#![quorum = 0]` is decided before it starts; \
             write `#![quorum = 1]` or more",
        ),
        _ => None,
    }
}

fn is_zero(value: &syn::Expr) -> bool {
    matches!(value, syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(int), .. })
        if int.base10_parse::<u128>().is_ok_and(|n| n == 0))
}

/// In a race, each `spawn` of the block starts a racer; one in a racer's
/// worker would need the race there, which its block holds.
fn racers_spawn_nothing(body: &ScopeBody, errors: &mut Errors) {
    for item in &body.items {
        match item {
            ScopeItem::Spawn(site) => first_spawn_in(&site.worker_body, errors),
            ScopeItem::Group { body, .. } => racers_spawn_nothing(body, errors),
            _ => {}
        }
    }
}

fn first_spawn_in(body: &ScopeBody, errors: &mut Errors) {
    for item in &body.items {
        match item {
            ScopeItem::Spawn(site) => errors.at(
                site.keyword,
                "a racer cannot start another racer: in a `first_success` or `quorum` scope, \
                 every `spawn` starts a racer from the block itself; spawn this one there, or \
                 give the racer threads of its own with a `scope!` in its worker",
            ),
            ScopeItem::Group { body, .. } => first_spawn_in(body, errors),
            _ => {}
        }
    }
}

fn scope_items(body: &ScopeBody, errors: &mut Errors) {
    for item in &body.items {
        match item {
            ScopeItem::Spawn(site) => {
                spawn_site(site, errors);
                scope_items(&site.worker_body, errors);
            }
            ScopeItem::Group { body, .. } => scope_items(body, errors),
            ScopeItem::Await(span) => errors.at(
                *span,
                "scope! cannot contain `.await`: its block runs on this thread until every \
                 child has finished, so it cannot suspend; await outside the scope, or block \
                 on the future inside it",
            ),
            ScopeItem::Token(_) | ScopeItem::Nested(_) => {}
        }
    }
}

/// What a literal that is not a string says, as the text of a name: the
/// characters of a byte or C string, a char, the digits of a number.
fn as_text(literal: Option<syn::Lit>, written: &proc_macro2::Literal) -> String {
    match literal {
        Some(syn::Lit::ByteStr(bytes)) => String::from_utf8_lossy(&bytes.value()).into_owned(),
        Some(syn::Lit::CStr(text)) => text.value().to_string_lossy().into_owned(),
        Some(syn::Lit::Byte(byte)) => char::from(byte.value()).to_string(),
        Some(syn::Lit::Char(character)) => character.value().to_string(),
        Some(syn::Lit::Int(int)) => int.base10_digits().to_owned(),
        Some(syn::Lit::Float(float)) => float.base10_digits().to_owned(),
        _ => written.to_string(),
    }
}

/// Whether a spawn is written right (its name and worker; not what they hold).
pub(crate) fn spawn_site_is_right(site: &SpawnSite) -> bool {
    let mut errors = Errors::default();
    spawn_site(site, &mut errors);
    errors.finish().is_ok()
}

fn spawn_site(site: &SpawnSite, errors: &mut Errors) {
    if site.call.is_some() {
        errors.at(
            site.keyword,
            "`spawn(...)` is std's spelling; in scope! every thread needs a name: write \
             `spawn \"name\" => |please_stop| ...` (to call a fn named `spawn` with a closure \
             here, write its path, e.g. `std::thread::spawn(...)`, or `(spawn)(...)`)",
        );
        return;
    }
    let Some(arrow) = site.arrow else {
        let name: Vec<TokenTree> = site.name.clone().into_iter().collect();
        match name.as_slice() {
            [] => errors.at(
                site.keyword,
                "every thread needs a name: write `spawn \"name\" => worker`",
            ),
            [name, ..] if site.worker.is_empty() => errors.at(
                name,
                format!(
                    "after its name, a thread needs `=>` and its worker: write \
                     `spawn {name} => |please_stop| ...` (or a call of a #[worker] fn after `=>`)"
                ),
            ),
            [name, ..] => errors.at(
                name,
                format!(
                    "write `=>` between the thread's name and its worker: `spawn {name} => ...`"
                ),
            ),
        }
        return;
    };
    let name: Vec<TokenTree> = site.name.clone().into_iter().collect();
    match name.as_slice() {
        [] => errors.at(
            site.keyword,
            "every thread needs a name: write `spawn \"name\" => worker`",
        ),
        [TokenTree::Literal(literal)] => {
            match syn::parse2::<syn::Lit>(TokenTree::Literal(literal.clone()).into()) {
                Ok(syn::Lit::Str(text)) if text.value().is_empty() => errors.at(
                    literal.span(),
                    "a thread name cannot be empty: every thread needs a name, e.g. `spawn \"worker\" => ...`",
                ),
                Ok(syn::Lit::Str(text)) if text.value().contains('/') => errors.at(
                    literal.span(),
                    "a thread name cannot contain '/': it separates the names in a path",
                ),
                Ok(syn::Lit::Str(_)) => {}
                other => errors.at(
                    literal.span(),
                    format!(
                        "a thread name is a string: write `spawn {:?} => ...`, \
                         or `format!(...)` to build one",
                        as_text(other.ok(), literal)
                    ),
                ),
            }
        }
        _ => {}
    }
    let worker: Vec<TokenTree> = site.worker.clone().into_iter().collect();
    let closure = match worker.as_slice() {
        [TokenTree::Ident(word), rest @ ..] if word == "move" => rest,
        all => all,
    };
    if site.worker.is_empty() {
        errors.at(
            arrow,
            "`=>` needs a worker after it: a closure `|please_stop| ...` or a call of a #[worker] fn",
        );
    } else if let [TokenTree::Punct(first), TokenTree::Punct(second), ..] = closure {
        if first.as_char() == '|' && second.as_char() == '|' {
            errors.push(syn::Error::new_spanned(
                quote::quote!(#first #second),
                "a worker takes its thread's stop signal: write `|please_stop| ...` and return \
                 when it goes (`while !please_stop.is_go()`, `please_stop.check()?`); a closure \
                 that ignores it (`|_|`) cannot be stopped",
            ));
        }
    }
}
