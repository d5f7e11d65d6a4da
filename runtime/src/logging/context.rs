//! [`context`]: key-values on a thread's records, inherited by the threads
//! it starts (mo-threads' logging extras, Java's MDC).

use crate::local;
use crate::sync::Arc;
use log::kv::{Error, Key, Source, Value, VisitSource};
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
/// (a record's own key wins); another logger sees them when it is wrapped
/// in [`with_context`](super::with_context).
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
        for (key, value) in local::context().iter().flat_map(|pairs| pairs.iter()) {
            pairs.push(format!("{key}={value}"));
        }
        write!(f, "ContextGuard({})", pairs.join(" "))
    }
}

/// A record's own key-values, then what the thread adds: its `thread` and
/// `path`, then its context. Each key once; the first of these to have it
/// wins (the record's own, then the thread's name and path, then the
/// context, which [`local::context`] already holds each key once).
pub(super) struct KeyValues<'a> {
    own: &'a dyn Source,
    /// Whether the record has key-values at all: most have none, and then
    /// no lookup in them is made.
    has_own: bool,
    /// The thread's name and path, added when the record has neither.
    identity: Option<(&'a str, &'a str)>,
    context: &'a [(Arc<str>, Arc<str>)],
}

impl<'a> KeyValues<'a> {
    pub(super) fn new(
        own: &'a dyn Source,
        identity: Option<(&'a str, &'a str)>,
        context: &'a [(Arc<str>, Arc<str>)],
    ) -> KeyValues<'a> {
        let has_own = own.count() > 0;
        let has = |key: &str| has_own && own.get(Key::from_str(key)).is_some();
        // `thread` and `path` say one thing together: a record about
        // another thread (the runtime's) keeps its own, and gets neither.
        let identity = identity.filter(|_| !has("thread") && !has("path"));
        KeyValues {
            own,
            has_own,
            identity,
            context,
        }
    }

    /// Whether a pair of the context under `key` is hidden by the
    /// record's own or by the thread's name and path.
    fn hides(&self, key: &str) -> bool {
        (self.identity.is_some() && (key == "thread" || key == "path"))
            || (self.has_own && self.own.get(Key::from_str(key)).is_some())
    }

    /// The context's pairs that are not hidden, in order.
    fn context_pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.context
            .iter()
            .map(|(key, value)| (&**key, &**value))
            .filter(|(key, _)| !self.hides(key))
    }
}

impl Source for KeyValues<'_> {
    fn visit<'kvs>(&'kvs self, visitor: &mut dyn VisitSource<'kvs>) -> Result<(), Error> {
        if self.has_own {
            self.own.visit(visitor)?;
        }
        if let Some((thread, path)) = self.identity {
            visitor.visit_pair(Key::from_str("thread"), Value::from(thread))?;
            visitor.visit_pair(Key::from_str("path"), Value::from(path))?;
        }
        for (key, value) in self.context_pairs() {
            visitor.visit_pair(Key::from_str(key), Value::from(value))?;
        }
        Ok(())
    }

    fn get(&self, key: Key<'_>) -> Option<Value<'_>> {
        if let Some(value) = self.has_own.then(|| self.own.get(key.clone())).flatten() {
            return Some(value);
        }
        if let Some((thread, path)) = self.identity {
            match key.as_str() {
                "thread" => return Some(Value::from(thread)),
                "path" => return Some(Value::from(path)),
                _ => {}
            }
        }
        self.context_pairs()
            .find(|(own, _)| *own == key.as_str())
            .map(|(_, value)| Value::from(value))
    }

    fn count(&self) -> usize {
        let own = if self.has_own { self.own.count() } else { 0 };
        let identity = if self.identity.is_some() { 2 } else { 0 };
        own + identity + self.context_pairs().count()
    }
}
