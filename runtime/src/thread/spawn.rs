//! What every thread the runtime starts goes through, whether from a
//! [`Builder`](super::Builder) or a scope: the name check, the thread's
//! body, and the clean-up when the OS refuses a thread.

use super::current;
use super::error::{Cause, Panic, ThreadError};
use super::node::Node;
use super::worker::BoxError;
use crate::signal::{Signal, Stopped};
use crate::sync::Arc;
use crate::sync::real::Mutex;
use std::panic::Location;

/// Refuses a name the rules of [`super::name`] refuse (empty, with `/`, a
/// character that would rewrite the lines of `dump()` and the log, or too
/// long), naming where the thread would have been and the line that asked
/// for it.
pub(crate) fn check_name(
    parent: &Node,
    name: &str,
    location: &'static Location<'static>,
) -> Result<(), ThreadError> {
    let Some(why) = super::name::why_refused(name) else {
        return Ok(());
    };
    // A name too long to read is shown by its start.
    let shown: String = match name.char_indices().nth(64) {
        Some((end, _)) => format!("{}…", &name[..end]),
        None => name.to_owned(),
    };
    let path = format!("{}/{shown}", parent.path);
    Err(ThreadError::new(
        shown.into(),
        path.into(),
        Cause::InvalidName(why, Some(location)),
    ))
}

/// Takes a node whose OS thread could not start out of the tree, and says why.
pub(crate) fn never_started(node: &Node, error: std::io::Error) -> ThreadError {
    node.leave_parent();
    node.stopped.go();
    ThreadError::new(
        node.name.clone(),
        node.path.clone(),
        Cause::SpawnFailed(error),
    )
}

/// What a new thread takes from the thread that starts it, captured there
/// before the spawn: the log context (`more_threads::logging::context`) and,
/// with the `tracing` feature, the span that is current.
pub(crate) struct Inheritance {
    context: Option<crate::local::Pairs>,
    #[cfg(feature = "tracing")]
    span: tracing::Span,
}

impl Inheritance {
    /// What the calling thread hands the thread it is about to start.
    pub(crate) fn capture() -> Inheritance {
        Inheritance {
            context: crate::local::context(),
            #[cfg(feature = "tracing")]
            span: tracing::Span::current(),
        }
    }
}

/// Drops `value` if this is its last holder and nobody took it (its handle
/// was released or dropped): a `Drop` that panics is reported about the
/// thread instead of escaping where nobody reports it.
pub(crate) fn let_go_of_value<T>(value: Arc<Mutex<Option<T>>>, node: &Node) {
    let Some(value) = Arc::into_inner(value).and_then(Mutex::into_inner) else {
        return;
    };
    if let Err(caught) = crate::panic::catch(move || drop(value)) {
        report!(
            Error,
            "more_threads::thread",
            about: (node.name, node.path),
            "the value thread {} returned, left to be dropped, panicked in its Drop: {}",
            node.path,
            caught.message
        );
    }
}

/// The body of every thread the runtime starts: runs the worker, then ends
/// the thread's children, and returns the failure to finish the node with
/// (`None` when the value is in `value`).
///
/// A worker that returned an error saying it was asked to stop
/// ([`Stopped`]) ends quietly, as `Cause::Stopped`, unless its children
/// failed.
pub(crate) fn run<T>(
    node: &Arc<Node>,
    value: &Mutex<Option<T>>,
    inheritance: Inheritance,
    body: impl FnOnce(&Signal) -> Result<T, BoxError>,
) -> Option<ThreadError> {
    let _entered = current::enter(node.clone());
    crate::local::inherit_context(inheritance.context);
    // The thread's span, a child of the spawner's: tracing's context
    // crosses into the thread, and every event in it names the thread.
    #[cfg(feature = "tracing")]
    let span = tracing::info_span!(
        parent: &inheritance.span,
        "thread",
        name = &*node.name,
        path = &*node.path
    );
    #[cfg(feature = "tracing")]
    let _in_span = span.enter();
    let outcome = match crate::panic::catch(|| body(&node.please_stop)) {
        Ok(Ok(result)) => Ok(result),
        Ok(Err(error)) => match Stopped::find_in(&*error) {
            Some(stopped) => Err(Cause::Stopped(
                stopped.clone().or_because(node.please_stop.reason()),
            )),
            // A panic caught inside the body (by a restart policy) is still
            // a panic. Users cannot make a `Panic`: only ours are.
            None => match error.downcast::<Panic>() {
                Ok(panic) => Err(Cause::Panicked(*panic)),
                Err(error) => Err(Cause::Failed(error)),
            },
        },
        Err(caught) => Err(Cause::Panicked(caught.into())),
    };
    let children = node.end_children();
    match (outcome, children.is_empty()) {
        (Ok(result), true) => {
            *value.lock() = Some(result);
            None
        }
        // A child's failure is a failure, even of a thread that stopped quietly.
        (Ok(_) | Err(Cause::Stopped(_)), false) => Some(
            ThreadError::new(node.name.clone(), node.path.clone(), Cause::ChildrenFailed)
                .with_children(children),
        ),
        (Err(cause), _) => Some(
            ThreadError::new(node.name.clone(), node.path.clone(), cause).with_children(children),
        ),
    }
}
