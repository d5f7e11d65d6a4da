//! [`context`]: key-values on a thread's records, inherited by the threads
//! it starts (mo-threads' logging extras, Java's MDC).

use crate::local;
use crate::sync::Arc;
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

/// Adds `pairs` to every record the calling thread logs while the guard
/// lives, and to every record of every thread it starts meanwhile, at any
/// depth; never to its parent's. A key given again (here, or by a child)
/// shadows the earlier value.
///
/// A thread takes its context when it is started: adding to the starter's
/// context later does not reach it. Guards may be dropped in any order.
/// The central logger writes the pairs after the record's own key-values
/// (a record's own key wins); other loggers do not see them.
///
/// ```
/// use more_threads::{Thread, logging};
///
/// let _request = logging::context([("request", "r-17"), ("user", "ada")]);
/// let worker = Thread::run("worker", |_| {
///     let _step = logging::context([("step", 2)]); // request, user and step
///     log::info!("working");
/// })?;
/// worker.join()?;
/// # Ok::<(), more_threads::ThreadError>(())
/// ```
pub fn context<K, V>(pairs: impl IntoIterator<Item = (K, V)>) -> ContextGuard
where
    K: Into<Cow<'static, str>>,
    V: fmt::Display,
{
    let pairs: local::Pairs = pairs
        .into_iter()
        .map(|(key, value)| {
            let key: Cow<'static, str> = key.into();
            (Arc::from(&*key), Arc::from(value.to_string()))
        })
        .collect();
    ContextGuard {
        id: local::add_context(pairs),
        _not_send: PhantomData,
    }
}

/// Keeps the key-values of [`context`] on the thread's records; dropping it
/// takes them off (threads started meanwhile keep them).
///
/// ```
/// let guard = more_threads::logging::context([("job", "7")]);
/// drop(guard); // records from here on no longer carry job=7
/// ```
#[must_use = "the context lasts only while the guard lives"]
pub struct ContextGuard {
    id: u64,
    /// The context is the calling thread's: the guard stays on it.
    _not_send: PhantomData<*const ()>,
}

impl Drop for ContextGuard {
    fn drop(&mut self) {
        local::remove_context(self.id);
    }
}

impl fmt::Debug for ContextGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut pairs = Vec::new();
        local::for_each_context(|key, value| pairs.push(format!("{key}={value}")));
        write!(f, "ContextGuard({})", pairs.join(" "))
    }
}
