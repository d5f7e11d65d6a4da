//! The standard library's types that a worker or a function commonly
//! returns as a plain value, listed once: each is an [`Outcome`] a worker
//! returns as it is (its value, never its failure), and, with a `Default`,
//! a return type that a `scope!`'s hidden `return` fits in as itself (the
//! block's closure returns its default when it returns on its own).
//!
//! `Result` and `Option` are not here: they are the two shapes that differ.
//!
//! [`Outcome`]: super::worker::Outcome

/// Calls `$then!` with the ones that have a `Default` (when their
/// parameters have one), each after its generic parameters in brackets:
/// `$then!([] bool, [T] Vec<T>, [A, B] (A, B), ...)`.
macro_rules! with_std_value_types {
    ($then:ident) => {
        $then!(
            [] (),
            [] bool,
            [] char,
            [] u8,
            [] u16,
            [] u32,
            [] u64,
            [] u128,
            [] usize,
            [] i8,
            [] i16,
            [] i32,
            [] i64,
            [] i128,
            [] isize,
            [] f32,
            [] f64,
            [] String,
            [] std::path::PathBuf,
            [] std::time::Duration,
            [] std::process::ExitCode,
            [T] Vec<T>,
            [T] std::collections::VecDeque<T>,
            [T] Box<T>,
            [K, V] std::collections::HashMap<K, V>,
            [T] std::collections::HashSet<T>,
            [K, V] std::collections::BTreeMap<K, V>,
            [T] std::collections::BTreeSet<T>,
            [A] (A,),
            [A, B] (A, B),
            [A, B, C] (A, B, C),
            [A, B, C, D] (A, B, C, D),
            [A, B, C, D, E] (A, B, C, D, E),
            [A, B, C, D, E, F] (A, B, C, D, E, F),
        );
    };
}

/// Calls `$then!` with the ones that have no `Default`, as above.
macro_rules! with_std_value_types_without_default {
    ($then:ident) => {
        $then!([] std::time::Instant, [] std::time::SystemTime);
    };
}

pub(crate) use {with_std_value_types, with_std_value_types_without_default};
