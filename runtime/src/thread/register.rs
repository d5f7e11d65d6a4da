//! [`RegisterThread`]: a place in the tree for threads the runtime did not start.

use super::current::{self, Entered};
use super::error::ThreadError;
use super::handle::ThreadRef;
use super::node::{Kind, Node, log_unclaimed};
use super::spawn::check_name;
use super::worker::ThreadName;
use crate::sync::Arc;
use std::fmt;
use std::marker::PhantomData;
use std::panic::Location;

/// While it lives, the thread that made it is in the tree under a name of
/// its choosing: [`Thread::current`](crate::Thread::current) works, it can
/// start children, and the main shutdown waits for the guard to drop.
///
/// For threads made by `std::thread`, rayon, a C library: anything that did
/// not come from [`Thread::run`](crate::Thread::run). Dropping the guard
/// stops and joins the children the thread started, logs their unclaimed
/// failures, and takes the thread out of the tree.
///
/// ```
/// use more_threads::{RegisterThread, Thread};
///
/// let path = std::thread::spawn(|| {
///     let _registered = RegisterThread::new("from-std");
///     let helper = Thread::run("helper", |_| Thread::current().path().to_owned()).unwrap();
///     helper.join().unwrap()
/// })
/// .join()
/// .unwrap();
/// assert_eq!(path, "main/from-std/helper");
/// ```
#[must_use = "the thread is registered only while the guard lives"]
pub struct RegisterThread {
    node: Arc<Node>,
    entered: Option<Entered>,
    /// Registration is about this OS thread: the guard stays on it.
    _not_send: PhantomData<*const ()>,
}

impl RegisterThread {
    /// Registers the calling thread under `name`, as a child of the root.
    ///
    /// # Panics
    ///
    /// If the tree refuses `name` (documented misuse: names are parts of
    /// paths and of lines; see
    /// [`InvalidName`](crate::thread::ThreadErrorKind::InvalidName)), with the same
    /// message a spawn's error has.
    ///
    /// ```
    /// let guard = more_threads::RegisterThread::new("worker-pool-1");
    /// assert_eq!(guard.thread().path(), "main/worker-pool-1");
    /// ```
    #[track_caller]
    pub fn new(name: impl ThreadName) -> RegisterThread {
        let name = name.thread_name();
        if let Err(error) = check_name(current::root(), name, Location::caller()) {
            panic!("RegisterThread::new({name:?}): {error:#}");
        }
        // After the shutdown the root takes no child: the node stands alone.
        let node =
            Node::child(current::root(), name, Kind::Registered, None).unwrap_or_else(|node| node);
        let entered = Some(current::enter(node.clone()));
        RegisterThread {
            node,
            entered,
            _not_send: PhantomData,
        }
    }

    /// This thread, as seen in the tree.
    ///
    /// ```
    /// let guard = more_threads::RegisterThread::new("registered");
    /// assert!(!guard.thread().please_stop().is_go());
    /// ```
    pub fn thread(&self) -> ThreadRef {
        ThreadRef::from_node(self.node.clone())
    }
}

impl RegisterThread {
    /// Stops and joins the children, takes the thread out of the tree, and
    /// returns the failures nobody claimed (instead of logging them).
    pub(crate) fn end(mut self) -> Vec<ThreadError> {
        // The drop that follows finds `entered` gone and does nothing more.
        self.end_in_place()
    }

    fn end_in_place(&mut self) -> Vec<ThreadError> {
        if self.entered.is_none() {
            return Vec::new();
        }
        let failures = self.node.end_children();
        self.node.finish(None);
        self.node.leave_parent();
        drop(self.entered.take());
        failures
    }
}

impl Drop for RegisterThread {
    fn drop(&mut self) {
        for failure in self.end_in_place() {
            log_unclaimed(&failure);
        }
    }
}

impl fmt::Debug for RegisterThread {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RegisterThread({:?})", &*self.node.path)
    }
}
