//! Stage three: plain calls to the runtime's public API (plus the hidden
//! `__private` helpers of `scope!`), with the user's spans kept so that type
//! errors point at the user's code. No `unsafe` is ever emitted.

use crate::model::{
    EntryFn, EntryKind, Policy, Race, ScopeBody, ScopeInput, ScopeItem, SpawnSite, WorkerFn,
};
use crate::rewrite::{Rewriter, TargetKind, break_value_slot};
use proc_macro2::{Group, Ident, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};
use syn::visit_mut::VisitMut;

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
    let attrs = outer(attrs);
    let output = output_type(&sig.output);
    let mut signature = sig.clone();
    signature.output = syn::parse_quote!(-> impl #krate::Worker<#output>);
    let closure_output = closure_output(&output);
    let please_stop = please_stop();
    let must_use = (!attrs.iter().any(|attr| attr.path().is_ident("must_use"))).then(|| {
        quote!(#[must_use = "a worker does nothing until it runs: hand it to `Thread::run` or `spawn`, or call `.run(please_stop)`"])
    });
    // The body's statements go straight into the closure's block: a block
    // inside it would be "unnecessary braces" to rustc's lint.
    let statements = &block.stmts;
    quote! {
        #(#attrs)*
        #must_use
        #vis #signature {
            move |#please_stop: &#krate::Signal| #closure_output {
                let _ = #please_stop;
                #(#statements)*
            }
        }
    }
}

/// `#[more_threads::main]` runs the body under `Main`; `#[more_threads::test]`
/// under `run_test`, as a `#[test]`. The body's statements go straight into
/// the closure's block (a block inside it would be "unnecessary braces" to
/// rustc's lint). A closure cannot spell an `impl Trait` output, so that
/// output is inferred; the type as written is kept in a fn that is never
/// called, so that what it names (`use std::process::Termination`) is still
/// used.
pub(crate) fn entry(entry: &EntryFn) -> TokenStream {
    let krate = &entry.options.krate;
    let syn::ItemFn {
        attrs,
        vis,
        sig,
        block,
    } = &entry.item;
    let attrs = outer(attrs);
    let output = output_type(&sig.output);
    let closure_output = closure_output(&output);
    let as_written = closure_output.is_empty().then(|| {
        let kept = Ident::new("__more_threads_output_as_written", Span::mixed_site());
        quote! {
            #[allow(dead_code)]
            fn #kept(_: &#output) {}
        }
    });
    let please_stop = please_stop();
    let statements = &block.stmts;
    let body = quote! {
        |#please_stop: &#krate::Signal| #closure_output {
            let _ = #please_stop;
            #(#statements)*
        }
    };
    match entry.kind {
        EntryKind::Main => {
            let options = main_options(entry);
            let name = &sig.ident;
            quote! {
                #(#attrs)*
                #vis fn #name() -> ::std::process::ExitCode {
                    #as_written
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
            .shutdown_deadline(
                // More seconds than a Duration holds: no deadline.
                ::std::time::Duration::try_from_secs_f64(#seconds)
                    .unwrap_or(::std::time::Duration::MAX)
            )
        });
    }
    for (method, value) in [
        ("handle_signals", &options.handle_signals),
        ("logger", &options.logger),
        ("dump_on_sigquit", &options.dump_on_sigquit),
        ("console", &options.console),
    ] {
        if let Some(value) = value {
            let method = Ident::new(method, value.span());
            calls.extend(quote!(.#method(#value)));
        }
    }
    for (method, path) in [("profile", &options.profile), ("trace", &options.trace)] {
        if let Some(path) = path {
            let method = Ident::new(method, path.span());
            calls.extend(quote!(.#method(#path)));
        }
    }
    calls
}

/// `scope! { BODY }` is the closure form: the body (its spawns made calls
/// on the scope, its ways out rewritten into `Exit` values) runs as a
/// closure under `run_scope`, which returns once every child has finished;
/// then the way the body ended is re-raised here, in the enclosing function
/// or loop, or its value handed on as it is. Nothing depends on the type of
/// the value: the helpers are called by their full paths, never as methods.
pub(crate) fn scope(input: &ScopeInput) -> TokenStream {
    try_scope(input).unwrap_or_else(crate::fallback::scope)
}

/// The expansion, or rustc's parse error for the block's statements.
pub(crate) fn try_scope(input: &ScopeInput) -> syn::Result<TokenStream> {
    let krate = &input.krate;
    let policy = input.policy();
    let spawner = match &policy {
        Some(Policy { race: Some(_), .. }) => {
            Spawner::Race(Ident::new("__more_threads_race", Span::mixed_site()))
        }
        _ => Spawner::Scope(Ident::new("__more_threads_scope", Span::mixed_site())),
    };
    let tokens = scope_tokens(&input.body, &spawner, krate);
    let mut statements = syn::parse::Parser::parse2(syn::Block::parse_within, tokens)?;
    // Named apart from every other scope's (a nested scope expanded here
    // sits in this one's closure, and its rewritten ways out name this one).
    // Said before the ways out are rewritten (into blocks that leave).
    let ending = ending(&statements);
    let carrier = unique_ident("carrier");
    let slot = unique_ident("exit");
    let mut rewriter = Rewriter::new(krate, &carrier, &slot);
    for statement in &mut statements {
        rewriter.visit_stmt_mut(statement);
    }
    if let Some(policy) = &policy {
        return Ok(policy_scope(
            krate,
            policy,
            &spawner,
            &input.attributes,
            &statements,
            &rewriter,
            &ending,
            &carrier,
            &slot,
        ));
    }
    let scope = spawner.ident();
    let attributes = &input.attributes;
    // A block whose only way out is its end reads as one call, its code
    // inside as written (with `scope.spawn(NAME, WORKER)` for each spawn).
    let only_its_end = !rewriter.returns
        && rewriter.targets.is_empty()
        && !rewriter.opaque_macros
        && !matches!(ending, Ending::Leaves);
    // The `if false` branch comes first, so that the type the code around
    // expects reaches the closure's return type before its body is checked.
    let expected = Ident::new("__more_threads_expected", Span::mixed_site());
    if only_its_end {
        // rustc takes no inner attribute at the top of a closure's body
        // ("attributes on expressions are experimental"): the block's own
        // go in a block that is the body's value, which it does take.
        let body = if input.attributes.is_empty() {
            quote!({ #(#statements)* })
        } else {
            quote!({ { #(#attributes)* #(#statements)* } })
        };
        return Ok(quote! {
            {
                let #expected = ::core::option::Option::None;
                if false {
                    #krate::__private::expected(&#expected)
                } else {
                    #krate::__private::block(&#expected, |#scope| #body)
                }
            }
        });
    }
    let exit = quote!(#krate::__private::Exit);
    let ended = quote!(#krate::__private::Outcome);
    let outcome = Ident::new("__more_threads_outcome", Span::mixed_site());
    let value = Ident::new("__more_threads_value", Span::mixed_site());
    let exit_value = Ident::new("__more_threads_exit", Span::mixed_site());
    // Unconstrained type parameters get a type: what nothing returns is `!`-like.
    let returned_type = if rewriter.returns {
        quote!(_)
    } else {
        quote!(::core::convert::Infallible)
    };
    // Said here when the block's end tells (its tokens, not its type): no
    // value is `()`; a block that ends by leaving has none (`Infallible`).
    let value_type = match ending {
        Ending::Value => quote!(_),
        // (A block ending with a statement that diverges has the type expected.)
        Ending::Unit => quote!(_),
        Ending::Leaves => quote!(::core::convert::Infallible),
    };
    let (unify_return, return_arm) = if rewriter.returns {
        (
            // Ties the returned type to the enclosing fn's.
            quote!(if false { return #krate::__private::returned(&#slot); }),
            quote!(#[allow(unreachable_patterns)] #exit::Return(#value) => return #ended::leaving(&#outcome, #value),),
        )
    } else {
        (TokenStream::new(), TokenStream::new())
    };
    let break_values = break_values(krate, &rewriter, &slot);
    let target_arms = rewriter.targets.iter().enumerate().map(|(index, target)| {
        let index = index as u16;
        let label = &target.label;
        let span = target.span;
        match target.kind {
            TargetKind::Break => quote_spanned! {span=>
                #[allow(unreachable_patterns)]
                #exit::Break(#index) => { #ended::leaving(&#outcome, ()); break #label }
            },
            TargetKind::BreakWith => {
                let value_slot = break_value_slot(&slot, index);
                quote_spanned! {span=>
                    #[allow(unreachable_patterns)]
                    #exit::Break(#index) => break #label #ended::leaving(&#outcome, #krate::__private::taken(&mut #value_slot)),
                }
            }
            TargetKind::Continue => quote_spanned! {span=>
                #[allow(unreachable_patterns)]
                #exit::Continue(#index) => { #ended::leaving(&#outcome, ()); continue #label }
            },
        }
    });
    // The ways out are re-raised first, in a match whose type is the whole
    // `Exit` (so that no diverging arm meets a value whose type is still
    // being inferred, such as an integer literal's); the value comes last.
    // (An arm may be unreachable: a way out whose type is uninhabited.)
    // A block that ends by leaving has no value to hand on: what is left
    // of its `Exit` is empty (`Value(Infallible)`), matched as such rather
    // than through a call returning `Infallible`, which rustc 1.85 calls an
    // "unreachable expression" (a call of an uninhabited type diverges).
    let re_raised = quote! {
        #return_arm
        #(#target_arms)*
    };
    let handed_on = match ending {
        Ending::Leaves => quote! {
            match #exit_value {
                #re_raised
                #[allow(unreachable_patterns)]
                #exit::Value(never) => match never {},
                #[allow(unreachable_patterns)]
                _ => ::core::unreachable!("scope!'s block ends by leaving"),
            }
        },
        Ending::Value | Ending::Unit => quote! {
            let #exit_value = match #exit_value {
                #re_raised
                #[allow(unreachable_patterns)]
                #exit_value => #exit_value,
            };
            #ended::value(&#outcome, #exit_value)
        },
    };
    // A block whose macros may `return` on their own returns from its
    // closure in the shape of the enclosing fn's return type (a `Witness`
    // of it, tied to the fn here); any other in an `Exit` as it is.
    let (carrier_declared, hidden_arm) = if rewriter.opaque_macros {
        (
            quote! {
                let #carrier = #krate::__private::Witness::new();
                #[allow(unreachable_code)]
                if false { return #krate::__private::Witness::value(&#carrier); }
            },
            quote!(::core::result::Result::Err(#value) => return #ended::leaving(&#outcome, #value),),
        )
    } else {
        (
            quote!(let #carrier = #krate::__private::Plain;),
            quote!(::core::result::Result::Err(#value) => match #value {},),
        )
    };
    // The types of what the block returns and of its value are tied to the
    // fn's and to what the code around expects before the closure is
    // checked, so that each is coerced there as in a plain block (a
    // `return Box::new(Square)` to the fn's `Box<dyn Shape>`). A block that
    // ends by leaving has no value to tie.
    let unify_value = match ending {
        Ending::Leaves => TokenStream::new(),
        Ending::Value | Ending::Unit => {
            quote!(if false { #krate::__private::expected_value(&#slot) } else)
        }
    };
    // The closure puts how the block ended in the slot, and returns whether
    // that was its end, in the carrier's shape; a macro's hidden `return`
    // returns what it returns instead, which the carrier's shape holds.
    Ok(quote! {
        {
            #carrier_declared
            let mut #slot = ::core::option::Option::<#exit<#returned_type, #value_type>>::None;
            #unify_return
            #(#break_values)*
            #unify_value {
                let #outcome = #krate::__private::run_scope(&#carrier, |#scope| {
                    // Assigned, not bound first: the slot's type is known,
                    // so the block's value is coerced to it.
                    #[allow(unreachable_code, clippy::diverging_sub_expression)]
                    {
                        #slot = ::core::option::Option::Some(#exit::Value({ #(#attributes)* #(#statements)* }));
                    }
                    #krate::__private::carry(&#carrier, true)
                });
                let #exit_value = match #ended::exit(&#outcome) {
                    ::core::result::Result::Ok(_) => #krate::__private::taken(&mut #slot),
                    #hidden_arm
                };
                #handed_on
            }
        }
    })
}

/// `scope! { #![OPTION] BODY }` with a policy: the body runs as the closure
/// of a `ScopeBuilder` (its spawns calls on the scope, or on the race), its
/// ways out rewritten as in a plain block; the scope evaluates to the
/// `Result` the builder's method returns, the block's value in it. After
/// every child has ended, a way out is re-raised if it stands (nothing
/// settled the scope's outcome before the block left), else it gives way
/// to that outcome, which is the scope's value.
#[allow(clippy::too_many_arguments)]
fn policy_scope(
    krate: &syn::Path,
    policy: &Policy<'_>,
    spawner: &Spawner,
    attributes: &[TokenStream],
    statements: &[syn::Stmt],
    rewriter: &Rewriter<'_>,
    ending: &Ending,
    carrier: &Ident,
    slot: &Ident,
) -> TokenStream {
    let exit = quote!(#krate::__private::Exit);
    let decided = quote!(#krate::__private::policy::Decided);
    let outcome = Ident::new("__more_threads_outcome", Span::mixed_site());
    let value = Ident::new("__more_threads_value", Span::mixed_site());
    let exit_value = Ident::new("__more_threads_exit", Span::mixed_site());
    let builder = Ident::new("__more_threads_builder", Span::mixed_site());
    let returned_type = if rewriter.returns {
        quote!(_)
    } else {
        quote!(::core::convert::Infallible)
    };
    let value_type = match ending {
        Ending::Leaves => quote!(::core::convert::Infallible),
        Ending::Value | Ending::Unit => quote!(_),
    };
    // A race's block has no value of its own: its racers' values are the
    // race's. Said at the block's last statement, where a value would be.
    let block = match (&policy.race, statements.last()) {
        (Some(_), Some(last)) if !matches!(ending, Ending::Leaves) => {
            let span = first_span(last);
            let check = respanned(quote!(#krate::__private::policy::race_block), span);
            let value = Ident::new("__more_threads_value", Span::mixed_site().located_at(span));
            // The block's own inner attributes go on the block that is an
            // argument (rustc takes none on a `let`'s value).
            quote!({
                #(#attributes)*
                let #value = { #(#statements)* };
                #check(#value)
            })
        }
        _ => quote!({ #(#attributes)* #(#statements)* }),
    };
    let unify_return = rewriter
        .returns
        .then(|| quote!(if false { return #krate::__private::returned(&#slot); }));
    let break_values = break_values(krate, rewriter, slot);
    let stands = quote!(#decided::stands(&#outcome));
    let return_arm = rewriter.returns.then(|| {
        quote! {
            #[allow(unreachable_patterns)]
            #exit::Return(#value) if #stands => return #decided::leaving(&#outcome, #value),
        }
    });
    let target_arms = rewriter.targets.iter().enumerate().map(|(index, target)| {
        let index = index as u16;
        let label = &target.label;
        let span = target.span;
        match target.kind {
            TargetKind::Break => quote_spanned! {span=>
                #[allow(unreachable_patterns)]
                #exit::Break(#index) if #stands => { #decided::leaving(&#outcome, ()); break #label }
            },
            TargetKind::BreakWith => {
                let value_slot = break_value_slot(slot, index);
                quote_spanned! {span=>
                    #[allow(unreachable_patterns)]
                    #exit::Break(#index) if #stands => break #label #decided::leaving(&#outcome, #krate::__private::taken(&mut #value_slot)),
                }
            }
            TargetKind::Continue => quote_spanned! {span=>
                #[allow(unreachable_patterns)]
                #exit::Continue(#index) if #stands => { #decided::leaving(&#outcome, ()); continue #label }
            },
        }
    });
    let (carrier_declared, hidden_arms) = if rewriter.opaque_macros {
        (
            quote! {
                let #carrier = #krate::__private::Witness::new();
                #[allow(unreachable_code)]
                if false { return #krate::__private::Witness::value(&#carrier); }
            },
            quote! {
                ::core::result::Result::Err(#value) if #stands => return #decided::leaving(&#outcome, #value),
                ::core::result::Result::Err(_) => #decided::gave_way(&#outcome, &#slot),
            },
        )
    } else {
        (
            quote!(let #carrier = #krate::__private::Plain;),
            quote!(::core::result::Result::Err(#value) => match #value {},),
        )
    };
    let with_deadline = match policy.deadline {
        Some((method, value)) => quote!(.#method(#value)),
        None => TokenStream::new(),
    };
    let spawner = spawner.ident();
    let closure = quote! {
        |#spawner| {
            // Assigned, not bound first: the slot's type is known, so the
            // block's value is coerced to it.
            #[allow(unreachable_code, clippy::diverging_sub_expression)]
            {
                #slot = ::core::option::Option::Some(#exit::Value(#block));
            }
            #krate::__private::carry(&#carrier, true)
        }
    };
    let policy_module = quote!(#krate::__private::policy);
    let (run, unify_value) = match &policy.race {
        None => (
            quote!(#policy_module::run(&#carrier, #builder, #closure)),
            // The type the code around expects reaches the block's value
            // before the closure is checked, as in a plain block.
            match ending {
                Ending::Leaves => TokenStream::new(),
                Ending::Value | Ending::Unit => {
                    quote!(if false { #policy_module::expected_run(&#builder, &#slot) } else)
                }
            },
        ),
        Some(Race::FirstSuccess) => (
            quote!(#policy_module::first_success(&#carrier, #builder, #closure)),
            TokenStream::new(),
        ),
        Some(Race::Quorum(needed)) => (
            quote!(#policy_module::quorum(&#carrier, #builder, #needed, #closure)),
            TokenStream::new(),
        ),
    };
    quote! {
        {
            #carrier_declared
            let mut #slot = ::core::option::Option::<#exit<#returned_type, #value_type>>::None;
            #unify_return
            #(#break_values)*
            let #builder = #krate::thread::ScopeBuilder::new()#with_deadline;
            #unify_value {
                let #outcome = #run;
                match #decided::exit(&#outcome) {
                    ::core::result::Result::Ok(_) => match #krate::__private::taken(&mut #slot) {
                        #return_arm
                        #(#target_arms)*
                        #exit_value => #decided::value(&#outcome, #exit_value),
                    },
                    #hidden_arms
                }
            }
        }
    }
}

/// `tokens`, every one at `span` (so that an error about the call they
/// make points there, not at the whole macro).
fn respanned(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut token| {
            if let TokenTree::Group(group) = &token {
                let mut inner = Group::new(group.delimiter(), respanned(group.stream(), span));
                inner.set_span(span);
                token = TokenTree::Group(inner);
            }
            token.set_span(span);
            token
        })
        .collect()
}

/// The span of a statement's first token: where an error about its value
/// points.
fn first_span(statement: &syn::Stmt) -> Span {
    statement
        .to_token_stream()
        .into_iter()
        .next()
        .map_or_else(Span::call_site, |token| token.span())
}

/// Each `break value`'s slot, its type tied to its loop's (so that the
/// value is coerced to it, as by a plain `break`).
fn break_values<'a>(
    krate: &'a syn::Path,
    rewriter: &'a Rewriter<'_>,
    slot: &'a Ident,
) -> impl Iterator<Item = TokenStream> + 'a {
    rewriter
        .targets
        .iter()
        .enumerate()
        .filter(|(_, target)| target.kind == TargetKind::BreakWith)
        .map(move |(index, target)| {
            let value_slot = break_value_slot(slot, index as u16);
            let label = &target.label;
            quote! {
                let mut #value_slot = ::core::option::Option::None;
                if false { break #label #krate::__private::expected(&#value_slot); }
            }
        })
}

/// A name for one of a scope's locals that no other scope of this
/// compilation has: a nested scope expanded here sits in this one's
/// closure, and its rewritten ways out name this one's carrier and slot.
fn unique_ident(what: &str) -> Ident {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NAMES: AtomicUsize = AtomicUsize::new(0);
    let number = NAMES.fetch_add(1, Ordering::Relaxed);
    Ident::new(
        &format!("__more_threads_{what}_{number}"),
        Span::mixed_site(),
    )
}

/// What the block's spawns are called on: the scope, or the race.
enum Spawner {
    Scope(Ident),
    Race(Ident),
}

impl Spawner {
    fn ident(&self) -> &Ident {
        match self {
            Spawner::Scope(ident) | Spawner::Race(ident) => ident,
        }
    }
}

/// How a block ends, as far as its tokens tell.
enum Ending {
    /// With an expression: its value.
    Value,
    /// With a statement: `()`.
    Unit,
    /// By leaving: `return`, `break`, `continue` or a panic.
    Leaves,
}

fn ending(statements: &[syn::Stmt]) -> Ending {
    let leaves = |expr: &syn::Expr| match expr {
        syn::Expr::Break(_) | syn::Expr::Continue(_) | syn::Expr::Return(_) => true,
        syn::Expr::Macro(invocation) => panics(&invocation.mac),
        _ => false,
    };
    match statements.last() {
        Some(syn::Stmt::Expr(expr, _)) if leaves(expr) => Ending::Leaves,
        Some(syn::Stmt::Macro(invocation)) if panics(&invocation.mac) => Ending::Leaves,
        Some(syn::Stmt::Expr(_, None)) => Ending::Value,
        Some(syn::Stmt::Macro(invocation)) if invocation.semi_token.is_none() => Ending::Value,
        _ => Ending::Unit,
    }
}

/// `panic!`, `unreachable!`, `todo!`, `unimplemented!`.
fn panics(mac: &syn::Macro) -> bool {
    mac.path.segments.last().is_some_and(|segment| {
        ["panic", "unreachable", "todo", "unimplemented"]
            .iter()
            .any(|name| segment.ident == name)
    })
}

/// The body's tokens with every `spawn NAME => WORKER` made a call on the
/// scope.
fn scope_tokens(body: &ScopeBody, spawner: &Spawner, krate: &syn::Path) -> TokenStream {
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
                let mut group = Group::new(*delimiter, scope_tokens(body, spawner, krate));
                group.set_span(span.join());
                TokenTree::Group(group).to_tokens(&mut tokens);
            }
            ScopeItem::Spawn(site) => tokens.extend(spawn(site, spawner, krate)),
        }
    }
    tokens
}

/// `spawn NAME => WORKER` is `scope.spawn(NAME, WORKER)`, whose value is the
/// handle (in a race, `Race::spawn(&race, NAME, WORKER)`, the `Race` being
/// a value a trait of the user's could also answer a method of);
/// `release spawn ...` releases it at once.
fn spawn(site: &SpawnSite, spawner: &Spawner, krate: &syn::Path) -> TokenStream {
    let SpawnSite {
        release,
        keyword,
        name,
        worker_body,
        ..
    } = site;
    let mut worker = scope_tokens(worker_body, spawner, krate);
    // A path's type is known before the call: one that is not a worker (a
    // `#[worker]` fn named without its call) gets an error saying so.
    if syn::parse2::<syn::ExprPath>(worker.clone()).is_ok() {
        let span = worker
            .clone()
            .into_iter()
            .next()
            .map_or(*keyword, |t| t.span());
        let named = Ident::new("__MoreThreadsNamed", span);
        worker = quote_spanned! {span=> {
            #[allow(unused_imports)]
            use #krate::__private::{IsWorker as _, NotAWorker as _, Named as #named};
            #named(#worker).__more_threads_worker()
        }};
    }
    let call = match spawner {
        Spawner::Scope(scope) => quote_spanned! {*keyword=> #scope.spawn(#name, #worker) },
        Spawner::Race(race) => {
            quote_spanned! {*keyword=> #krate::thread::Race::spawn(&#race, #name, #worker) }
        }
    };
    match release {
        Some(release) => quote_spanned!(*release=> #call.release()),
        None => call,
    }
}

/// The fn's attributes, each written before it: syn keeps the inner ones of
/// its body (`#![allow(...)]` as the body's first line) with the outer
/// ones, and they apply to the fn all the same.
fn outer(attrs: &[syn::Attribute]) -> Vec<syn::Attribute> {
    attrs
        .iter()
        .map(|attr| syn::Attribute {
            style: syn::AttrStyle::Outer,
            ..attr.clone()
        })
        .collect()
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
