//! Runnable examples of more-threads live in `examples/`.
