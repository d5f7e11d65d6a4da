//! What is emitted when the input is wrong: the errors, plus the item as
//! close to what the user wrote as can compile, so that the errors are the
//! only ones and IDEs keep working inside the item.

use crate::model::EntryKind;
use proc_macro2::TokenStream;
use quote::quote;

/// The worker the fn would have made, with the mistake taken out (no
/// `async`, `const`, `unsafe`, ABI, variadic, nor a `please_stop` parameter),
/// so that its callers type-check and the error is the only one. The body of
/// an `async` fn, which may `.await`, is left out.
pub(crate) fn worker(item: TokenStream, error: syn::Error) -> TokenStream {
    let errors = error.to_compile_error();
    let Ok(mut function) = syn::parse2::<syn::ItemFn>(item.clone()) else {
        return with_please_stop(item, error);
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
        krate: syn::parse_quote!(::more_threads),
    };
    let expanded = crate::expand::worker(&worker);
    quote!(#errors #expanded)
}

/// The fn as written (with `please_stop` defined), and the errors.
pub(crate) fn entry(_kind: EntryKind, item: TokenStream, error: syn::Error) -> TokenStream {
    with_please_stop(item, error)
}

/// A block of the scope's type (`!`), and the errors.
pub(crate) fn scope(error: syn::Error) -> TokenStream {
    let errors = error.to_compile_error();
    quote!({
        #errors
        ::core::unreachable!()
    })
}

fn with_please_stop(item: TokenStream, error: syn::Error) -> TokenStream {
    let errors = error.to_compile_error();
    match syn::parse2::<syn::ItemFn>(item.clone()) {
        Ok(mut function) => {
            let block = &function.block;
            *function.block = syn::parse_quote!({
                let please_stop: &::more_threads::Signal = ::core::unreachable!();
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
