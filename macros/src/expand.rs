//! Stage three: plain calls to the runtime's public API (plus the hidden
//! `__private` helpers of `scope!`), with the user's spans kept so that type
//! errors point at the user's code.

use crate::model::{EntryFn, EntryKind, ScopeBody, ScopeItem, SpawnSite, WorkerFn};
use proc_macro2::{Group, Ident, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};

/// `fn f(args) -> T { body }` becomes `fn f(args) -> impl Worker<T>`
/// returning `move |please_stop: &Signal| -> T { body }`.
pub(crate) fn worker(worker: &WorkerFn) -> TokenStream {
    let krate = &worker.krate;
    let syn::ItemFn {
        attrs,
        vis,
        sig,
        block,
    } = &worker.item;
    let output = output_type(&sig.output);
    let mut signature = sig.clone();
    signature.output = syn::parse_quote!(-> impl #krate::Worker<#output>);
    let closure_output = closure_output(&output);
    let please_stop = please_stop();
    let must_use = (!attrs.iter().any(|attr| attr.path().is_ident("must_use"))).then(|| {
        quote!(#[must_use = "a worker does nothing until it runs: hand it to `Thread::run` or `spawn`, or call `.run(please_stop)`"])
    });
    quote! {
        #(#attrs)*
        #must_use
        #vis #signature {
            move |#please_stop: &#krate::Signal| #closure_output {
                let _ = #please_stop;
                #block
            }
        }
    }
}

/// `#[more_threads::main]` runs the body under `Main`; `#[more_threads::test]`
/// under `run_test`, as a `#[test]`.
pub(crate) fn entry(entry: &EntryFn) -> TokenStream {
    let krate = &entry.options.krate;
    let syn::ItemFn {
        attrs,
        vis,
        sig,
        block,
    } = &entry.item;
    let output = output_type(&sig.output);
    let closure_output = closure_output(&output);
    let please_stop = please_stop();
    let body = quote! {
        |#please_stop: &#krate::Signal| #closure_output {
            let _ = #please_stop;
            #block
        }
    };
    match entry.kind {
        EntryKind::Main => {
            let options = main_options(entry);
            let name = &sig.ident;
            quote! {
                #(#attrs)*
                #vis fn #name() -> ::std::process::ExitCode {
                    #krate::Main::new()#options.run(#body)
                }
            }
        }
        EntryKind::Test => {
            let name = &sig.ident;
            let label = name.to_string();
            let test_output = match &sig.output {
                syn::ReturnType::Default => quote!(),
                syn::ReturnType::Type(arrow, ty) => quote!(#arrow #ty),
            };
            quote! {
                #[::core::prelude::v1::test]
                #(#attrs)*
                #vis fn #name() #test_output {
                    #krate::__private::run_test(#label, #body)
                }
            }
        }
    }
}

fn main_options(entry: &EntryFn) -> TokenStream {
    let options = &entry.options;
    let mut calls = TokenStream::new();
    if let Some(written) = &options.shutdown_deadline {
        // `check` made sure it is a finite, non-negative number.
        let seconds = match written {
            syn::Lit::Int(int) => int.base10_parse::<f64>().unwrap_or_default(),
            syn::Lit::Float(float) => float.base10_parse::<f64>().unwrap_or_default(),
            _ => 0.0,
        };
        let mut seconds = proc_macro2::Literal::f64_suffixed(seconds);
        seconds.set_span(written.span());
        calls.extend(quote_spanned! {written.span()=>
            .shutdown_deadline(::std::time::Duration::from_secs_f64(#seconds))
        });
    }
    for (method, value) in [
        ("handle_signals", &options.handle_signals),
        ("stderr_logger", &options.stderr_logger),
        ("dump_on_sigquit", &options.dump_on_sigquit),
    ] {
        if let Some(value) = value {
            let method = Ident::new(method, value.span());
            calls.extend(quote!(.#method(#value)));
        }
    }
    calls
}

/// The body of `scope! { ... }` between a guard that is created first and
/// ended (or dropped) last.
pub(crate) fn scope(body: &ScopeBody) -> TokenStream {
    // Hygienic names: no user code can name the guard, so none can leak it.
    let guard = Ident::new("__more_threads_scope", Span::mixed_site());
    let value = Ident::new("__more_threads_value", Span::mixed_site());
    let block = scope_tokens(body, &guard);
    quote! {
        {
            // SAFETY (see ScopeGuard::new): the guard is bound to a hygienic
            // name that user code cannot reach, so it cannot be forgotten or
            // moved away; it is dropped, or ended below, before the block's
            // borrows end, on every way out of the block.
            #[allow(unsafe_code)]
            let #guard = unsafe { ::more_threads::__private::ScopeGuard::new() };
            let #value = { #block };
            #[allow(unused_imports)]
            use ::more_threads::__private::{SettleAsResult as _, SettleOrPanic as _};
            (&::more_threads::__private::ScopeGuard::end(#guard, #value)).settle()
        }
    }
}

fn scope_tokens(body: &ScopeBody, guard: &Ident) -> TokenStream {
    let mut tokens = TokenStream::new();
    for item in &body.items {
        match item {
            ScopeItem::Token(token) => token.to_tokens(&mut tokens),
            ScopeItem::Nested(nested) => tokens.extend(nested.clone()),
            ScopeItem::Await(_) => {}
            ScopeItem::Group {
                delimiter,
                span,
                body,
            } => {
                let mut group = Group::new(*delimiter, scope_tokens(body, guard));
                group.set_span(span.join());
                TokenTree::Group(group).to_tokens(&mut tokens);
            }
            ScopeItem::Spawn(site) => tokens.extend(spawn(site, guard)),
        }
    }
    tokens
}

/// `spawn NAME => WORKER` is `ScopeGuard::spawn(&guard, NAME, WORKER)`;
/// `release spawn ...` releases the handle at once.
fn spawn(site: &SpawnSite, guard: &Ident) -> TokenStream {
    let SpawnSite {
        release,
        keyword,
        name,
        worker,
        kept,
        ..
    } = site;
    let call = quote_spanned! {*keyword=>
        ::more_threads::__private::ScopeGuard::spawn(&#guard, #name, #worker)
    };
    match release {
        Some(release) => quote_spanned!(*release=> ::more_threads::ScopedThread::release(#call)),
        // Not kept: the scope's end stops and joins it, and its failure
        // fails the scope.
        None if !kept => quote_spanned!(*keyword=> ::core::mem::drop(#call)),
        None => call,
    }
}

fn output_type(output: &syn::ReturnType) -> syn::Type {
    match output {
        syn::ReturnType::Default => syn::parse_quote!(()),
        syn::ReturnType::Type(_, ty) => (**ty).clone(),
    }
}

/// A closure's `-> T`, except for `impl Trait` types, which closures cannot
/// spell (the type is then inferred from the body).
fn closure_output(output: &syn::Type) -> TokenStream {
    let mentions_impl = output
        .to_token_stream()
        .into_iter()
        .any(|token| matches!(&token, TokenTree::Ident(ident) if ident == "impl"));
    if mentions_impl {
        TokenStream::new()
    } else {
        quote!(-> #output)
    }
}

/// `please_stop`, spelled so that the user's body can name it.
fn please_stop() -> Ident {
    Ident::new("please_stop", Span::call_site())
}
