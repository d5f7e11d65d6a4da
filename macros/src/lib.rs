//! The procedural macros of [more-threads](https://docs.rs/more-threads):
//! `#[worker]`, `scope!` and `#[more_threads::main]`.
//!
//! Use them through the `more-threads` crate, which re-exports them. They
//! arrive with the DSL; until then this crate only reserves its place in the
//! workspace, split as the DSL will be: parse, check, expand.
