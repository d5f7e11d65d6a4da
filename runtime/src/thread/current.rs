//! Which node the calling thread is: registered, the root, or named on first use.

use super::node::{Kind, Node, log_unclaimed};
use crate::local::{self, Local};
use crate::sync::Arc;
use crate::sync::real::{AtomicU64, OnceLock, Ordering, thread};
use std::cell::RefCell;

static ROOT: OnceLock<Arc<Node>> = OnceLock::new();

thread_local! {
    /// The node of this thread, once it has one.
    static CURRENT: RefCell<Option<Arc<Node>>> = const { RefCell::new(None) };
    /// For a thread the runtime did not start and nobody registered: ends its
    /// node when the thread exits.
    static UNREGISTERED: RefCell<Option<EndOnExit>> = const { RefCell::new(None) };
}

/// The root of the tree: the process's main thread.
pub(crate) fn root() -> &'static Arc<Node> {
    ROOT.get_or_init(Node::root)
}

/// Runs `f` with the calling thread's node, if it has one already. Never
/// creates a node: fit for the wait paths.
pub(crate) fn with_registered<R>(f: impl FnOnce(&Arc<Node>) -> R) -> Option<R> {
    CURRENT
        .try_with(|current| current.borrow().as_ref().map(f))
        .ok()
        .flatten()
}

/// The calling thread's `please_stop`, if the runtime knows the thread: a
/// call that blocks on other threads' progress and was given no Signal
/// gives up on this one.
pub(crate) fn own_please_stop() -> Option<crate::signal::Signal> {
    with_registered(|node| node.please_stop.clone())
}

/// The calling thread's node; the main thread is the root, any other thread
/// the runtime does not know gets a node named on first use.
pub(crate) fn current() -> Arc<Node> {
    if let Some(node) = with_registered(Arc::clone) {
        return node;
    }
    let os_thread = thread::current();
    let node = if os_thread.name() == Some("main") && is_process_main_thread() {
        root().clone()
    } else {
        name_unregistered(os_thread.name())
    };
    // During thread-local destruction there is nowhere to keep it: the node
    // is still valid, just not remembered.
    let _ = CURRENT.try_with(|current| *current.borrow_mut() = Some(node.clone()));
    local::lend(Some(node.local.clone()));
    if let Some(profile) = node.local.profile.get() {
        profile.entered();
    }
    node
}

/// Whether the calling thread is the process's first thread, which std
/// names "main" (another thread may be given that name too). On Linux the
/// kernel says: its thread id is the process id. Elsewhere, the name is all
/// there is to go by.
fn is_process_main_thread() -> bool {
    match std::fs::read_link("/proc/thread-self") {
        // "<pid>/task/<tid>"
        Ok(link) => link
            .to_str()
            .and_then(|link| link.split_once("/task/"))
            .is_none_or(|(pid, tid)| pid == tid),
        Err(_) => true,
    }
}

fn name_unregistered(os_name: Option<&str>) -> Arc<Node> {
    static COUNT: AtomicU64 = AtomicU64::new(1);
    let name = match os_name {
        // Made fit for a path and a line of the dump: std allows a '/', a
        // newline or a right-to-left override in a thread's name; the tree
        // does not.
        Some(name) => super::name::made_harmless(name),
        None => format!("unregistered-{}", COUNT.fetch_add(1, Ordering::Relaxed)),
    };
    // After the shutdown the root takes no child: the node stands alone.
    let node = Node::child(root(), &name, Kind::Unregistered, None).unwrap_or_else(|node| node);
    report!(
        Warn,
        "more_threads::thread",
        about: (node.name, node.path),
        "thread {} was not started by more-threads nor registered; it is now known as {:?}: \
         register it with RegisterThread::new(name) to name it and have the shutdown wait for it",
        node.path,
        node.name,
    );
    let _ = UNREGISTERED.try_with(|slot| *slot.borrow_mut() = Some(EndOnExit(node.clone())));
    node
}

/// Makes `node` the calling thread's node until the guard drops.
/// The thread is lent the node's blocked slot for as long.
pub(crate) fn enter(node: Arc<Node>) -> Entered {
    if let Some(profile) = node.local.profile.get() {
        profile.entered();
    }
    let previous_local = local::lend(Some(node.local.clone()));
    let previous = CURRENT.with(|current| current.borrow_mut().replace(node));
    Entered {
        previous,
        previous_local,
    }
}

/// Makes the calling thread act for `node` until the guard drops: threads it
/// starts are `node`'s children. Unlike [`enter`], it lends nothing (its
/// waits and its profile stay its own): for a runtime thread that runs
/// callbacks on behalf of `node`, such as the signal watcher for main.
pub(crate) fn act_for(node: Arc<Node>) -> Entered {
    let previous = CURRENT.with(|current| current.borrow_mut().replace(node));
    let previous_local = local::lend(None);
    local::lend(previous_local.clone());
    Entered {
        previous,
        previous_local,
    }
}

pub(crate) struct Entered {
    previous: Option<Arc<Node>>,
    previous_local: Option<Arc<Local>>,
}

impl Drop for Entered {
    fn drop(&mut self) {
        let previous = self.previous.take();
        let _ = CURRENT.try_with(|current| *current.borrow_mut() = previous);
        local::lend(self.previous_local.take());
    }
}

/// Ends a node whose thread exits: its children are stopped and joined, and
/// their unclaimed failures logged (an unregistered thread has nobody to
/// fold them into).
pub(crate) struct EndOnExit(pub(crate) Arc<Node>);

impl Drop for EndOnExit {
    fn drop(&mut self) {
        for failure in self.0.end_children() {
            log_unclaimed(&failure);
        }
        self.0.finish(None);
        self.0.leave_parent();
    }
}
