//! The accessors every kind of thread handle has ([`Thread`](super::Thread),
//! [`ScopedThread`](super::ScopedThread), [`ThreadRef`](super::ThreadRef)),
//! written once: each handle reaches its node by its own field, and gives
//! each accessor an example of its own.

/// Inside a handle's `impl` block: `name`, `path`, `please_stop`, `stopped`
/// and `stop`, reading the node at `self.<node>`, each documented with the
/// example given for it.
macro_rules! handle_accessors {
    (
        node: $($node:ident).+,
        name: $name:literal,
        path: $path:literal,
        please_stop: $please_stop:literal,
        stopped: $stopped:literal,
        stop: $stop:literal $(,)?
    ) => {
        /// The name given at spawn (or at registration).
        ///
        #[doc = concat!("```\n", $name, "\n```")]
        pub fn name(&self) -> &str {
            &self.$($node).+.name
        }

        /// The path from the root, e.g. `main/crawler/parser-3`.
        ///
        #[doc = concat!("```\n", $path, "\n```")]
        pub fn path(&self) -> &str {
            &self.$($node).+.path
        }

        /// The Signal the thread was given: it goes when the thread is asked
        /// to stop. Whoever makes it go asks the thread's descendants to
        /// stop too, youngest first: `please_stop().go()` is
        /// [`stop`](Self::stop), said otherwise.
        ///
        #[doc = concat!("```\n", $please_stop, "\n```")]
        pub fn please_stop(&self) -> &$crate::signal::Signal {
            &self.$($node).+.please_stop
        }

        /// The Signal that goes when the thread has ended: its worker
        /// returned (or panicked) and all its children were joined.
        ///
        #[doc = concat!("```\n", $stopped, "\n```")]
        pub fn stopped(&self) -> &$crate::signal::Signal {
            &self.$($node).+.stopped
        }

        /// Asks the thread and all its descendants to stop (youngest first);
        /// does not wait.
        ///
        #[doc = concat!("```\n", $stop, "\n```")]
        pub fn stop(&self) {
            self.$($node).+.stop();
        }
    };
}
