//! What is emitted when the input is wrong: the errors, plus the item as
//! close to what the user wrote as can compile, so that the errors are the
//! only ones and IDEs keep working inside the item.

use crate::model::{EntryKind, ScopeBody, ScopeInput, ScopeItem, SpawnSite};
use proc_macro2::{Delimiter, Ident, Span, TokenStream, TokenTree};
use quote::quote;

/// The worker the fn would have made, with the mistake taken out (no
/// `async`, `const`, `unsafe`, ABI, variadic, nor a `please_stop` parameter),
/// so that its callers type-check and the error is the only one. The body of
/// an `async` fn, which may `.await`, is left out.
pub(crate) fn worker(item: TokenStream, krate: &syn::Path, error: syn::Error) -> TokenStream {
    let errors = error.to_compile_error();
    let Ok(mut function) = syn::parse2::<syn::ItemFn>(item.clone()) else {
        return with_please_stop(item, krate, error);
    };
    let signature = &mut function.sig;
    // A body whose types the mistake changes (an `async` one may `.await`,
    // one under a hidden `please_stop` means the other one, one returning
    // `impl Trait` has no type to return as) is left out.
    let mut leave_the_body_out = signature.asyncness.take().is_some();
    if signature.inputs.iter().any(|input| {
        matches!(input, syn::FnArg::Typed(typed)
            if !matches!(&*typed.pat, syn::Pat::Ident(_)) && crate::check::binds_please_stop(&typed.pat).is_some())
    }) {
        leave_the_body_out = true;
    }
    // The output as written stays in a fn never called, so that what it
    // names is still used and no "unused import" joins the error.
    let mut output_as_written = None;
    if let syn::ReturnType::Type(_, output) = &signature.output {
        if crate::check::impl_trait_in(output).is_some() {
            output_as_written =
                Some(quote!(#[allow(dead_code)] fn output_as_written(_: &#output) {}));
            signature.output = syn::ReturnType::Default;
            leave_the_body_out = true;
        }
    }
    if leave_the_body_out {
        *function.block = syn::parse_quote!({ #output_as_written ::core::unreachable!() });
    }
    signature.constness = None;
    signature.unsafety = None;
    signature.abi = None;
    signature.variadic = None;
    signature.inputs = std::mem::take(&mut signature.inputs)
        .into_iter()
        .filter(|input| {
            !matches!(input, syn::FnArg::Typed(typed)
                if matches!(&*typed.pat, syn::Pat::Ident(pattern) if pattern.ident == "please_stop"))
        })
        .collect();
    function
        .attrs
        .push(syn::parse_quote!(#[allow(unreachable_code, unused_variables)]));
    let worker = crate::model::WorkerFn {
        item: function,
        krate: krate.clone(),
    };
    let expanded = crate::expand::worker(&worker);
    quote!(#errors #expanded)
}

/// The fn as written (with `please_stop` defined), and the errors.
pub(crate) fn entry(
    _kind: EntryKind,
    item: TokenStream,
    krate: &syn::Path,
    error: syn::Error,
) -> TokenStream {
    with_please_stop(item, krate, error)
}

/// The errors, and the block expanded with each wrong spawn made one that
/// compiles (under its options, when they are right) (a stand-in name, a worker that takes `please_stop`): the code
/// after the block still sees its type, so that no "unreachable statement"
/// or type error joins the errors. A block that awaits, or that no stand-in
/// makes parse, or whose options are wrong, is the errors alone (`scope`
/// below).
pub(crate) fn repaired_scope(input: &ScopeInput, error: syn::Error) -> TokenStream {
    // The scope's type depends on its options, and a racer's spawn has no race.
    if !input.options_are_right() || !crate::check::racers_are_right(input) {
        return with_option_values(input, error);
    }
    let Some(body) = repaired(&input.body, &input.krate) else {
        return scope(error);
    };
    let repaired = ScopeInput {
        krate: input.krate.clone(),
        options: input.options.clone(),
        attributes: input.attributes.clone(),
        body,
    };
    match crate::expand::try_scope(&repaired) {
        Ok(expansion) => {
            let errors = error.to_compile_error();
            quote!({ #errors #expansion })
        }
        Err(_) => scope(error),
    }
}

/// The errors alone, as the scope's value, beside its options' values in a
/// closure never called: what they name (`use std::time::Duration`, a
/// local) is still used, so that no "unused import" joins the errors.
fn with_option_values(input: &ScopeInput, error: syn::Error) -> TokenStream {
    // Not the values of an item that is no option (`allow(unused)`).
    let values = input
        .options
        .iter()
        .filter(|option| crate::parse::named_as_ours(&option.name.to_string()))
        .filter_map(|option| option.value.as_ref()?.1.as_ref());
    let errors = scope(error);
    quote!({
        let _ = || { #(let _ = &(#values);)* };
        #errors
    })
}

/// The body with every wrong spawn repaired, or `None` if it awaits.
fn repaired(body: &ScopeBody, krate: &syn::Path) -> Option<ScopeBody> {
    let mut items = Vec::with_capacity(body.items.len());
    for item in &body.items {
        items.push(match item {
            ScopeItem::Await(_) => return None,
            ScopeItem::Token(token) => ScopeItem::Token(token.clone()),
            ScopeItem::Nested(tokens) => ScopeItem::Nested(tokens.clone()),
            ScopeItem::Group {
                delimiter,
                span,
                body,
            } => ScopeItem::Group {
                delimiter: *delimiter,
                span: *span,
                body: repaired(body, krate)?,
            },
            ScopeItem::Spawn(site) => {
                let worker_body = repaired(&site.worker_body, krate)?;
                let right = crate::check::spawn_site_is_right(site);
                ScopeItem::Spawn(SpawnSite {
                    release: site.release,
                    keyword: site.keyword,
                    call: site.call,
                    name: if right { site.name.clone() } else { quote!("") },
                    arrow: site.arrow,
                    worker: site.worker.clone(),
                    worker_body: if right {
                        worker_body
                    } else {
                        stand_in_worker(worker_body, krate)
                    },
                })
            }
        });
    }
    Some(ScopeBody { items })
}

/// A worker for a spawn written wrong: none becomes one that never runs,
/// a closure without the stop signal (`|| ...`) takes it, and a block
/// (`spawn { ... }`) is the body of a closure that takes it.
fn stand_in_worker(worker: ScopeBody, krate: &syn::Path) -> ScopeBody {
    let takes_please_stop = quote!(|_: &#krate::Signal|);
    let tokens = |stream: TokenStream| stream.into_iter().map(ScopeItem::Token);
    if worker.items.is_empty() {
        let never = quote!(#takes_please_stop ::core::unreachable!());
        return ScopeBody {
            items: tokens(never).collect(),
        };
    }
    if let [
        ScopeItem::Group {
            delimiter: Delimiter::Brace,
            ..
        },
    ] = worker.items.as_slice()
    {
        // Named as the user would, so that the block may use it.
        let please_stop = Ident::new("please_stop", Span::call_site());
        let mut items: Vec<ScopeItem> = tokens(quote!(|#please_stop: &#krate::Signal|)).collect();
        items.extend(worker.items);
        return ScopeBody { items };
    }
    let is_punct = |item: Option<&ScopeItem>, c: char| matches!(item, Some(ScopeItem::Token(TokenTree::Punct(p))) if p.as_char() == c);
    let moves =
        matches!(worker.items.first(), Some(ScopeItem::Token(TokenTree::Ident(i))) if i == "move");
    let start = usize::from(moves);
    if !(is_punct(worker.items.get(start), '|') && is_punct(worker.items.get(start + 1), '|')) {
        return worker;
    }
    let mut items = worker.items;
    items.splice(start..start + 2, tokens(takes_please_stop));
    ScopeBody { items }
}

/// The errors alone, as the scope's value: a `compile_error!` is an
/// expression of rustc's error type, which takes any type the code around
/// expects and never diverges, so that nothing after the block is an
/// "unreachable statement" and no type error joins them. (A block ending
/// with `unreachable!()` had the type `!`, and rustc warned about the code
/// after it.) Several errors are several `compile_error!`s in one block.
pub(crate) fn scope(error: syn::Error) -> TokenStream {
    let errors: Vec<syn::Error> = error.into_iter().collect();
    match errors.as_slice() {
        [one] => one.to_compile_error(),
        several => {
            let errors = several.iter().map(syn::Error::to_compile_error);
            quote!({ #(#errors)* })
        }
    }
}

/// The fn as written, its body seeing `please_stop` (of the `Signal` that
/// `krate` names, the path the user gave), and the errors.
fn with_please_stop(item: TokenStream, krate: &syn::Path, error: syn::Error) -> TokenStream {
    let errors = error.to_compile_error();
    match syn::parse2::<syn::ItemFn>(item.clone()) {
        Ok(mut function) => {
            let block = &function.block;
            *function.block = syn::parse_quote!({
                let please_stop: &#krate::Signal = ::core::unreachable!();
                #block
            });
            function.sig.asyncness = None;
            function.sig.unsafety = None;
            // The errors above are the news; the stand-in body's own
            // warnings would only hide them.
            function
                .attrs
                .push(syn::parse_quote!(#[allow(unreachable_code, unused_variables)]));
            quote!(#errors #function)
        }
        Err(_) => quote!(#errors #item),
    }
}
