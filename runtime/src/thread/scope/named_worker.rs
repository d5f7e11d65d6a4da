//! `spawn NAME => path`: a worker named by a path is handed on when it is
//! one; when it is not, the error says how to make one. The usual cause is a
//! `#[worker]` fn named without its call (`=> crawl` for `=> crawl()`),
//! for which rustc alone says only "function is expected to take 1
//! argument, but it takes 0 arguments".
//!
//! The choice is made by method resolution on [`Named`]: the by-value
//! method of [`IsWorker`] applies when the path is a worker, else the
//! by-reference one of [`NotAWorker`], whose bound has no impl and says
//! what to write. Only a path's type is known before the call (a closure's
//! is inferred from `spawn`'s bound), so only paths go through here. The
//! methods are named `__more_threads_worker`, which no user's trait is.
//!
//! Not for direct use: no stability promise.

use crate::signal::Signal;
use crate::thread::Worker;

/// The worker of `spawn NAME => path`, before it is known to be one.
#[doc(hidden)]
#[derive(Debug)]
pub struct Named<F>(pub F);

/// A path that is a worker: handed on as it is.
#[doc(hidden)]
pub trait IsWorker<O> {
    /// The worker.
    type Worker: Worker<O>;
    /// Hands the worker on.
    fn __more_threads_worker(self) -> Self::Worker;
}

impl<F: Worker<O>, O> IsWorker<O> for Named<F> {
    type Worker = F;

    #[inline]
    fn __more_threads_worker(self) -> F {
        self.0
    }
}

/// A path that is not a worker: the call's bound fails with what to write.
#[doc(hidden)]
pub trait NotAWorker {
    /// Never compiles: [`Refused`] has no impl.
    fn __more_threads_worker<O>(&self) -> fn(&Signal) -> O
    where
        Self: Refused<O>;
}

impl<F> NotAWorker for Named<F> {
    fn __more_threads_worker<O>(&self) -> fn(&Signal) -> O
    where
        Self: Refused<O>,
    {
        <Self as Refused<O>>::worker()
    }
}

/// No type has this: the bound that says how to make a worker.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`spawn` needs a worker, and this is not one",
    label = "not a worker",
    note = "a `#[worker]` fn makes its worker when called: write `name()`, with its arguments (`please_stop` is not one); or pass a closure, `|please_stop| ...`"
)]
pub trait Refused<O> {
    /// What a worker would be.
    fn worker() -> fn(&Signal) -> O;
}
