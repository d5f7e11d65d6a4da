//! Compile-fail cases for the more-threads DSL, run by `tests/compile_errors.rs`.
//!
//! Each case under `tests/ui/` is a tiny program named after the mistake it
//! makes, beside the `.stderr` the compiler must print for it.
