//! Part of stage three for `scope!`: the block runs as a closure (so rustc
//! itself refuses any `.await` in it, hidden in a macro or not), and the ways
//! out of it that must act on the enclosing function or loop become values
//! the closure returns: `?` and `return` become `Exit::Return`, a `break` or
//! `continue` to a loop outside the block becomes `Exit::Break(n)` or
//! `Exit::Continue(n)`. The code after the scope, which runs once every child
//! has finished, re-raises them (see `expand::scope`).
//!
//! Closures, async blocks, const blocks and items inside the block keep
//! their own ways out and are left alone; so are `break` and `continue` to
//! loops or labelled blocks inside the block. A nested `scope!` is its own
//! macro call, left alone, unless its tokens hold a way out that may leave
//! it: that one is expanded here, so that its own re-raising is rewritten
//! in turn. Macros such as
//! `println!` or `vec!` are looked into when their arguments parse as
//! expressions.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Lifetime, Stmt};

/// A loop outside the block that a `break` or `continue` in it targets.
pub(crate) struct Target {
    pub(crate) kind: TargetKind,
    pub(crate) label: Option<Lifetime>,
    /// The first `break`/`continue` that named it, for errors.
    pub(crate) span: Span,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum TargetKind {
    Break,
    BreakWith,
    Continue,
}

/// What the rewriting found.
pub(crate) struct Rewriter<'a> {
    krate: &'a syn::Path,
    /// The scope's carrier (`expand::scope` declares it): every way out the
    /// closure returns is put in its shape.
    carrier: &'a syn::Ident,
    /// Where a way out is put before the closure returns.
    slot: &'a syn::Ident,
    /// Whether the block holds a macro that may `return` on its own (one not
    /// known to be free of ways out): its closure then returns in the shape
    /// of the enclosing fn's return type.
    pub(crate) opaque_macros: bool,
    /// Loops of the block around the current point.
    loops: usize,
    /// Labels of the loops and blocks inside the block around the current point.
    labels: Vec<String>,
    pub(crate) targets: Vec<Target>,
    /// Whether anything returns early from the enclosing fn (`?`, `return`).
    pub(crate) returns: bool,
    /// How many ways out were rewritten so far (to tell whether a macro's
    /// arguments changed).
    rewritten: usize,
}

impl<'a> Rewriter<'a> {
    pub(crate) fn new(
        krate: &'a syn::Path,
        carrier: &'a syn::Ident,
        slot: &'a syn::Ident,
    ) -> Rewriter<'a> {
        Rewriter {
            krate,
            carrier,
            slot,
            opaque_macros: false,
            loops: 0,
            labels: Vec::new(),
            targets: Vec::new(),
            returns: false,
            rewritten: 0,
        }
    }

    fn inside(&mut self, label: Option<&syn::Label>, is_loop: bool, f: impl FnOnce(&mut Self)) {
        if let Some(label) = label {
            self.labels.push(label.name.ident.to_string());
        }
        if is_loop {
            self.loops += 1;
        }
        f(self);
        if is_loop {
            self.loops -= 1;
        }
        if label.is_some() {
            self.labels.pop();
        }
    }

    /// Whether a `break`/`continue` with this label stays inside the block.
    fn stays_inside(&self, label: Option<&Lifetime>) -> bool {
        match label {
            Some(label) => self.labels.contains(&label.ident.to_string()),
            None => self.loops > 0,
        }
    }

    fn target(&mut self, kind: TargetKind, label: Option<&Lifetime>, span: Span) -> u16 {
        let same = |target: &Target| {
            target.kind == kind
                && target.label.as_ref().map(|label| label.ident.to_string())
                    == label.map(|label| label.ident.to_string())
        };
        if let Some(index) = self.targets.iter().position(same) {
            return index as u16;
        }
        self.targets.push(Target {
            kind,
            label: label.cloned(),
            span,
        });
        (self.targets.len() - 1) as u16
    }

    /// Looks into a macro's arguments where they are expressions, and writes
    /// them back only if something in them was rewritten. Three shapes: a
    /// list (`println!("{}", a?)`, `assert_eq!(a?, b)`), a repetition
    /// (`vec![a?; n]`), an expression, a pattern and its guard
    /// (`matches!(a?, Some(v) if v > b?)`), and an expression before tokens
    /// of another kind (`assert!(a?, "{}", b)`), whose tail is left as it
    /// is. A macro whose arguments are none of these is someone
    /// else's syntax, left alone.
    fn visit_macro_arguments(&mut self, mac: &mut syn::Macro) {
        let before = self.rewrites();
        let list = Punctuated::<Expr, syn::Token![,]>::parse_terminated;
        let rewritten = if let Ok(mut arguments) = mac.parse_body_with(list) {
            for argument in arguments.iter_mut() {
                self.visit_expr_mut(argument);
            }
            arguments.into_token_stream()
        } else if let Ok((mut first, separator, mut rest)) = mac.parse_body_with(repetition) {
            self.visit_expr_mut(&mut first);
            self.visit_expr_mut(&mut rest);
            quote!(#first #separator #rest)
        } else if let Ok((mut first, separator, pattern, guard)) =
            mac.parse_body_with(pattern_with_guard)
        {
            // `matches!(a?, Some(v) if v > b?)`: the guard is an expression too.
            self.visit_expr_mut(&mut first);
            let guard = guard.map(|(if_token, mut condition)| {
                self.visit_expr_mut(&mut condition);
                quote!(#if_token #condition)
            });
            quote!(#first #separator #pattern #guard)
        } else if let Ok((mut first, separator, rest)) = mac.parse_body_with(leading_expression) {
            self.visit_expr_mut(&mut first);
            quote!(#first #separator #rest)
        } else {
            return;
        };
        if self.rewrites() != before {
            mac.tokens = rewritten;
        }
    }

    fn rewrites(&self) -> usize {
        self.rewritten
    }

    fn exit(&self) -> TokenStream {
        let krate = self.krate;
        quote!(#krate::__private::Exit)
    }

    /// A way out: put in the slot, then the closure returns `false` (not
    /// its end) in the carrier's shape.
    fn leave(&self, exit: TokenStream) -> TokenStream {
        let (krate, carrier, slot) = (self.krate, self.carrier, self.slot);
        quote!({
            #slot = ::core::option::Option::Some(#exit);
            return #krate::__private::carry(&#carrier, false)
        })
    }

    /// Notes a macro that may hold a `return` of its own: one not known to
    /// be free of them, or a nested `scope!` (its own call) holding one.
    fn note_macro(&mut self, mac: &syn::Macro) {
        if !is_free_of_ways_out(mac) || holds_an_opaque_macro(mac.tokens.clone()) {
            self.opaque_macros = true;
        }
    }
}

/// Where a `break value` to the target `index` of the scope whose slot is
/// `slot` puts its value: each target has its own, of its loop's type.
pub(crate) fn break_value_slot(slot: &syn::Ident, index: u16) -> syn::Ident {
    syn::Ident::new(&format!("{slot}_break_{index}"), Span::mixed_site())
}

/// Macros known to hold no way out of their own (the standard library's,
/// `log`'s, `tracing`'s and `anyhow`'s value macros), and a nested `scope!`
/// left as its own call (whose ways out, if any, made it expanded here).
/// Any other macro may `return` (`anyhow::bail!`, a `macro_rules!` of the
/// user's): the block's closure then returns in the shape of the enclosing
/// fn's return type, so that such a `return` is one of its values. A macro
/// of the user's bearing one of these names and returning all the same is a
/// compile error ("expected `Exit`"), never a silent change.
fn is_free_of_ways_out(mac: &syn::Macro) -> bool {
    mac.path
        .segments
        .last()
        .is_some_and(|segment| FREE_OF_WAYS_OUT.iter().any(|name| segment.ident == name))
}

/// See [`is_free_of_ways_out`].
const FREE_OF_WAYS_OUT: &[&str] = &[
    // std
    "assert",
    "assert_eq",
    "assert_ne",
    "cfg",
    "column",
    "compile_error",
    "concat",
    "dbg",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "env",
    "eprint",
    "eprintln",
    "file",
    "format",
    "format_args",
    "include",
    "include_bytes",
    "include_str",
    "line",
    "matches",
    "module_path",
    "option_env",
    "panic",
    "print",
    "println",
    "stringify",
    "thread_local",
    "todo",
    "unimplemented",
    "unreachable",
    "vec",
    "write",
    "writeln",
    // log and tracing
    "debug",
    "error",
    "info",
    "log",
    "log_enabled",
    "trace",
    "warn",
    "event",
    "span",
    "trace_span",
    "debug_span",
    "info_span",
    "warn_span",
    "error_span",
    // anyhow, eyre: values, not ways out
    "anyhow",
    "format_err",
    "eyre",
    // ours, with no way out (else expanded here)
    "scope",
];

/// Whether tokens hold a call of a macro not known to be free of ways out
/// (`name!(...)`), at any depth.
fn holds_an_opaque_macro(tokens: TokenStream) -> bool {
    let tokens: Vec<proc_macro2::TokenTree> = tokens.into_iter().collect();
    tokens.iter().enumerate().any(|(index, token)| match token {
        proc_macro2::TokenTree::Ident(name) => {
            matches!(tokens.get(index + 1), Some(proc_macro2::TokenTree::Punct(bang)) if bang.as_char() == '!')
                && matches!(tokens.get(index + 2), Some(proc_macro2::TokenTree::Group(_)))
                && !FREE_OF_WAYS_OUT.iter().any(|free| name == free)
        }
        proc_macro2::TokenTree::Group(group) => holds_an_opaque_macro(group.stream()),
        _ => false,
    })
}

/// `EXPR; EXPR`, as in `vec![value; count]`.
fn repetition(input: syn::parse::ParseStream<'_>) -> syn::Result<(Expr, syn::Token![;], Expr)> {
    Ok((input.parse()?, input.parse()?, input.parse()?))
}

/// `EXPR, PATTERN if EXPR` (the guard optional, a trailing comma allowed),
/// as in `matches!(value, Some(v) if v > limit)`.
type PatternWithGuard = (
    Expr,
    syn::Token![,],
    syn::Pat,
    Option<(syn::Token![if], Expr)>,
);

fn pattern_with_guard(input: syn::parse::ParseStream<'_>) -> syn::Result<PatternWithGuard> {
    let first = input.parse()?;
    let separator = input.parse()?;
    let pattern = syn::Pat::parse_multi_with_leading_vert(input)?;
    let guard = if input.peek(syn::Token![if]) {
        Some((input.parse()?, input.parse()?))
    } else {
        None
    };
    let _: Option<syn::Token![,]> = input.parse()?;
    if !input.is_empty() {
        return Err(input.error("more than a pattern and its guard"));
    }
    Ok((first, separator, pattern, guard))
}

/// `EXPR, TOKENS`, as in `matches!(value, Some(_))`.
fn leading_expression(
    input: syn::parse::ParseStream<'_>,
) -> syn::Result<(Expr, syn::Token![,], TokenStream)> {
    Ok((input.parse()?, input.parse()?, input.parse()?))
}

/// Whether a macro invocation is a nested `scope!` that this one must
/// expand: one whose tokens hold a way out (`?`, `return`, `break`,
/// `continue`) that may leave it, to be rewritten for the enclosing scope.
/// Any other `scope!` (ours without ways out, or a macro of the user's that
/// happens to bear the name) is its own macro call, left as it is: so
/// nesting costs nothing here, at any depth, and a user's `scope!` keeps its
/// meaning unless it holds such tokens.
fn is_scope_with_ways_out(mac: &syn::Macro) -> bool {
    mac.path
        .segments
        .last()
        .is_some_and(|segment| segment.ident == "scope")
        && holds_a_way_out(mac.tokens.clone())
}

fn holds_a_way_out(tokens: TokenStream) -> bool {
    tokens.into_iter().any(|token| match token {
        proc_macro2::TokenTree::Punct(punct) => punct.as_char() == '?',
        proc_macro2::TokenTree::Ident(ident) => {
            ident == "return" || ident == "break" || ident == "continue"
        }
        proc_macro2::TokenTree::Group(group) => holds_a_way_out(group.stream()),
        proc_macro2::TokenTree::Literal(_) => false,
    })
}

impl VisitMut for Rewriter<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        let exit = self.exit();
        let krate = self.krate;
        match expr {
            // Their own ways out.
            Expr::Closure(_) | Expr::Async(_) | Expr::Const(_) => {}
            Expr::ForLoop(for_loop) => {
                self.visit_expr_mut(&mut for_loop.expr);
                let body = &mut for_loop.body;
                self.inside(for_loop.label.as_ref(), true, |this| {
                    this.visit_block_mut(body);
                });
            }
            Expr::While(while_loop) => {
                let (condition, body) = (&mut while_loop.cond, &mut while_loop.body);
                self.inside(while_loop.label.as_ref(), true, |this| {
                    this.visit_expr_mut(condition);
                    this.visit_block_mut(body);
                });
            }
            Expr::Loop(endless) => {
                let body = &mut endless.body;
                self.inside(endless.label.as_ref(), true, |this| {
                    this.visit_block_mut(body);
                });
            }
            Expr::Block(block) if block.label.is_some() => {
                let body = &mut block.block;
                self.inside(block.label.as_ref(), false, |this| {
                    this.visit_block_mut(body);
                });
            }
            Expr::Try(attempt) => {
                self.visit_expr_mut(&mut attempt.expr);
                self.returns = true;
                let span = attempt.question_token.span();
                let inner = match &*attempt.expr {
                    Expr::Paren(parenthesized) => &parenthesized.expr,
                    inner => inner,
                };
                let value = syn::Ident::new("__more_threads_value", Span::mixed_site());
                let residual = syn::Ident::new("__more_threads_residual", Span::mixed_site());
                self.rewritten += 1;
                let leave = self.leave(quote!(
                    #exit::Return(#krate::__private::FromResidual::from_residual(#residual))
                ));
                *expr = syn::parse_quote_spanned! {span=>
                    match #krate::__private::Branch::branch(#inner) {
                        ::core::ops::ControlFlow::Continue(#value) => #value,
                        ::core::ops::ControlFlow::Break(#residual) => { #leave }
                    }
                };
            }
            Expr::Return(early) => {
                if let Some(value) = &mut early.expr {
                    self.visit_expr_mut(value);
                }
                self.returns = true;
                let span = early.return_token.span();
                let value = match &early.expr {
                    Some(value) => value.to_token_stream(),
                    None => quote_spanned!(span=> ()),
                };
                self.rewritten += 1;
                let leave = self.leave(quote!(#exit::Return(#value)));
                *expr = syn::parse_quote_spanned!(span=> #leave);
            }
            Expr::Break(leave) => {
                if let Some(value) = &mut leave.expr {
                    self.visit_expr_mut(value);
                }
                if self.stays_inside(leave.label.as_ref()) {
                    return;
                }
                let span = leave.break_token.span();
                self.rewritten += 1;
                *expr = match &leave.expr {
                    Some(value) => {
                        let index = self.target(TargetKind::BreakWith, leave.label.as_ref(), span);
                        let value_slot = break_value_slot(self.slot, index);
                        let leave = self.leave(quote!(#exit::Break(#index)));
                        syn::parse_quote_spanned!(span=> {
                            #value_slot = ::core::option::Option::Some(#value);
                            #leave
                        })
                    }
                    None => {
                        let index = self.target(TargetKind::Break, leave.label.as_ref(), span);
                        let leave = self.leave(quote!(#exit::Break(#index)));
                        syn::parse_quote_spanned!(span=> #leave)
                    }
                };
            }
            Expr::Continue(next) => {
                if self.stays_inside(next.label.as_ref()) {
                    return;
                }
                let span = next.continue_token.span();
                let index = self.target(TargetKind::Continue, next.label.as_ref(), span);
                self.rewritten += 1;
                let leave = self.leave(quote!(#exit::Continue(#index)));
                *expr = syn::parse_quote_spanned!(span=> #leave);
            }
            Expr::Macro(invocation) if is_scope_with_ways_out(&invocation.mac) => {
                self.rewritten += 1;
                *expr = nested_scope(&invocation.mac);
                self.visit_expr_mut(expr);
            }
            Expr::Macro(invocation) => {
                self.note_macro(&invocation.mac);
                self.visit_macro_arguments(&mut invocation.mac);
            }
            _ => visit_mut::visit_expr_mut(self, expr),
        }
    }

    fn visit_stmt_mut(&mut self, stmt: &mut Stmt) {
        match stmt {
            Stmt::Macro(invocation) if is_scope_with_ways_out(&invocation.mac) => {
                self.rewritten += 1;
                let mut nested = nested_scope(&invocation.mac);
                self.visit_expr_mut(&mut nested);
                *stmt = Stmt::Expr(nested, invocation.semi_token);
            }
            Stmt::Macro(invocation) => {
                self.note_macro(&invocation.mac);
                self.visit_macro_arguments(&mut invocation.mac);
            }
            _ => visit_mut::visit_stmt_mut(self, stmt),
        }
    }

    /// Items (fns, impls, ...) in the block have their own ways out.
    fn visit_item_mut(&mut self, _: &mut syn::Item) {}
}

/// A nested `scope! { ... }`, expanded now so that its re-raising of `?`,
/// `return`, `break` and `continue` is rewritten for the enclosing scope.
fn nested_scope(mac: &syn::Macro) -> Expr {
    let expanded = crate::scope_expansion(mac.tokens.clone());
    syn::parse2(expanded.clone()).unwrap_or(Expr::Verbatim(expanded))
}
