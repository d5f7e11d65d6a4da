//! How the runtime logs: through the `log` facade, every record with the
//! key-values `thread` (the name) and `path` (`main/crawler/parser-3`), so
//! that any logger (env_logger, a tracing subscriber through tracing-log,
//! ours) can tell which thread a record is about.

/// Logs a runtime record at `$level` (a `log::Level` variant) to `$target`.
///
/// `report!(Error, "more_threads::thread", about: (name, path), "...")`
/// names the thread the record is about (a failure, a stuck thread);
/// without `about`, the record is about the calling thread.
macro_rules! report {
    ($level:ident, $target:expr, about: ($name:expr, $path:expr), $($arg:tt)+) => {
        ::log::log!(
            target: $target,
            ::log::Level::$level,
            thread = &*$name,
            path = &*$path;
            $($arg)+
        )
    };
    ($level:ident, $target:expr, $($arg:tt)+) => {
        $crate::local::with_identity(|thread, path| {
            ::log::log!(
                target: $target,
                ::log::Level::$level,
                thread = thread,
                path = path;
                $($arg)+
            )
        })
    };
}
