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
    if signature.asyncness.take().is_some() {
        *function.block = syn::parse_quote!({ ::core::unreachable!() });
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
