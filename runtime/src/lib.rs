// How the crate is built (for its developers; not part of the docs).
//
// Three tiers, each depending only on the ones below it:
// * tier 0, the primitives, which import nothing above them, each only
//   those before it in this order: `sync` (the one door to atomics, locks,
//   cells, one-time cells and OS threads, loom-swappable; its `real` half
//   serves the statics loom cannot build and the OS threads its models never
//   start; outside it and the raw lock's choice of flavor, code asks
//   `sync::MODELED` whether the build is a loom model, never a cfg of its
//   own); then `backoff` (the brief spin before a sleep), `panic`
//   (catching a panic, with its backtrace), `error_chain`, and `raw_lock`
//   (the mutual exclusion under a Lock, whose sleeping waiters can be told
//   to give up: a flavor per build, one file each, chosen in `raw_lock.rs`);
//   `holder` (a number per OS thread, never given to another, and the path
//   the dump names it by); `observed` (what the live console sees beyond the
//   tree: whether one is served, and the registries where named Queues and
//   child Processes register once, as trait objects of its traits, since
//   the console cannot name them); `local` (what the tree lends each thread:
//   its name and path, the `blocked` slot it records its waits in, which
//   names no primitive, its profile, its log context, its last log lines
//   while a console is served); `report` (the runtime's
//   records, with `thread` and `path`); `deadlock` (the wait-for graph, and
//   the check before a sleep); `signal` (with `signal::wait`, the one way to
//   sleep until something is ready or a Signal goes); then `lock`, `till` (a
//   clock that hands its Signals hooks, so `signal` knows nothing of it) and
//   `promise`;
// * tier 1, the tree: `thread` (node; claim, the failure-claim state
//   machine; spawn, the thread body shared by builder and scope; accessors,
//   written once for the three handle kinds; handle, builder, scope, worker,
//   error, register, completion, current, dump) and, beside it, the
//   process-level services built on it: `health` (the verdict from the
//   tree: deadlocks, stuck budgets, checks of other tiers' own), `main_thread` (Main, OS signals,
//   stdin, the shutdown, the test root, the service manager), `logging` (the central logger and the
//   context), `profile` (the report and the timeline) and `console` (the
//   live console's server: Main starts it, so it cannot be tier 2; it reads
//   the dump, the profile, health, and the Queues and Processes registered
//   in `observed`);
// * tier 2, built on both: `queue` (the hub, channel, iter, gate, priority,
//   error), the workers fed by queues or clocks: `pool`, `batch`, `repeat`,
//   and `process` (a child process as a node: group, output, watch, error),
//   here rather than beside `main_thread` because its output is line Queues;
//   and `supervisor` (OTP's strategies over a group of children, a worker
//   of the tree like `pool`, tier 2 so that it may supervise processes).
//   The restart policy (`thread::restart`) is the tree's, tier 1.
// Inside the crate, modules import by module path (`crate::signal::Signal`),
// never through the re-exports below, which are the public facade only.
// `tests/architecture.rs` checks the tiers, that no two modules import each
// other (even through others), and the module paths.

//! # more-threads
//!
//! Structured concurrency for OS threads: every thread has a name, a
//! `please_stop` signal it is expected to honour, and a parent that stops and
//! joins it; failures are never lost, and Ctrl-C ends the whole tree cleanly.
//!
//! ```
//! use more_threads::prelude::*;
//!
//! #[worker] // the body sees `please_stop: &Signal`
//! fn count_words(lines: &[&str]) -> Result<usize, BoxError> {
//!     let mut words = 0;
//!     for line in lines {
//!         please_stop.check()?; // a quiet stop, not a failure
//!         words += line.split_whitespace().count();
//!     }
//!     Ok(words)
//! }
//!
//! fn main() -> Result<(), ThreadError> {
//!     let text = ["the quick brown fox", "jumps over", "the lazy dog"];
//!     let (first, rest) = text.split_at(1);
//!     let total = scope! {
//!         let a = spawn "counter-a" => count_words(first); // borrows `text`
//!         let b = spawn "counter-b" => count_words(rest);
//!         a.join()? + b.join()? // `?` acts on main, after both have finished
//!     }; // the end waits for every child; the first failure stops the rest
//!     assert_eq!(total, 9);
//!     Ok(())
//! }
//! ```
//!
//! The pieces:
//!
//! * the thread tree: [`Thread::run`], [`scope!`] and [`scope()`](fn@scope),
//!   [`Main`] (the root, Ctrl-C, the orderly shutdown), [`dump()`],
//!   [`health()`](fn@health) (a deadlock or a stuck thread, for a liveness
//!   probe or systemd's watchdog);
//! * the DSL: [`#[worker]`](macro@worker), [`scope!`],
//!   [`#[more_threads::main]`](macro@main), [`#[more_threads::test]`](macro@test);
//! * [`Signal`]: a one-shot, thread-safe flag that wakes its waiters and runs
//!   callbacks when it goes, combinable with `|` and `&`; [`Till`]: a Signal
//!   that goes at a time, so timeouts compose with stop requests:
//!   `please_stop | Till::seconds(1.0)`; [`Lock`]: a monitor that cannot miss
//!   a wake-up or deadlock on itself;
//! * [`Queue`] and its family: values move between threads, none is lost;
//!   [`Promise`]: a value set once and waited for;
//! * async code: `please_stop.await`, `(&promise).await` and `promise.await`
//!   ([`signal::Wait`], [`promise::Wait`], [`promise::Take`]), std only, so
//!   an async server can live in the tree without blocking its executor;
//! * [`logging`]: the central logger, off the caller's thread, and the context
//!   a thread's records carry; [`profile`]: where the threads' time went;
//!   [`console`]: attach to a running program and see its tree;
//! * [`Process`]: a child process as a node of the tree, stopped with its
//!   process group, its output as line Queues; [`Restart`](thread::Restart): a failed thread
//!   or process started again by policy; [`supervisor`]: OTP's supervisors
//!   (one_for_one, one_for_all, rest_for_one, an intensity, significant children).
//!
//! Loops that honour their stop signal read `while !please_stop.is_go() { ... }`.

// First, so that every module below can use its macro.
#[macro_use]
mod report;

mod backoff;
pub mod batch;
#[cfg(unix)]
pub mod console;
mod deadlock;
mod error_chain;
pub mod health;
mod holder;
mod local;
pub mod lock;
pub mod logging;
pub mod main_thread;
mod observed;
mod panic;
pub mod pool;
#[cfg(unix)]
pub mod process;
pub mod profile;
pub mod promise;
pub mod queue;
mod raw_lock;
pub mod repeat;
pub mod signal;
pub mod supervisor;
mod sync;
#[cfg(all(test, not(loom)))]
mod test_support;
pub mod thread;
pub mod till;

// The root holds the names a program writes; each secondary type (a
// builder, an error kind, an iterator, a guard) is in its concept's module.
pub use batch::BatchQueue;
pub use health::health;
pub use lock::Lock;
pub use main_thread::{Main, stop_main, wait_for_shutdown_signal};
pub use pool::ThreadPool;
pub use promise::Promise;
pub use queue::{PriorityQueue, Queue};
pub use repeat::Repeat;
pub use thread::dump::dump;

/// The README's examples, compiled and run as doctests so they cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeExamples;
#[cfg(unix)]
pub use process::Process;
pub use signal::Signal;
pub use thread::{
    BoxError, RegisterThread, ScopedThread, Thread, ThreadError, ThreadRef, Worker, as_completed,
    join_all, scope,
};
pub use till::Till;

/// Turns a fn into a worker: the body sees its thread's `please_stop:
/// &Signal` without declaring it, and calling the fn returns the worker, to
/// hand to [`Thread::run`], to `spawn` in [`scope!`], or to run here with
/// [`Worker::run`].
///
/// The arguments are evaluated by the caller and moved into the worker.
/// Generics, `impl Trait` and reference arguments (for scoped spawns), a
/// `Result` return (whose `Err` is the thread's failure) and methods taking
/// `self` all work; a worker made from `&self` borrows, so it suits `scope!`
/// and `.run()` but not `Thread::run`. `async`, `const` and `unsafe` fns,
/// and a parameter named `please_stop`, are compile errors that say what to
/// write instead.
///
/// ```
/// use more_threads::prelude::*;
///
/// #[worker]
/// fn count_words(text: String) -> usize {
///     let mut words = 0;
///     for word in text.split_whitespace() {
///         if please_stop.is_go() {
///             break;
///         }
///         words += word.len().min(1);
///     }
///     words
/// }
///
/// let counter = Thread::run("counter", count_words("three little words".into())).unwrap();
/// assert_eq!(counter.join().unwrap(), 3);
/// assert_eq!(count_words("two words".into()).run(&Signal::new()), 2);
/// ```
pub use more_threads_macros::worker;

/// A block whose `spawn NAME => WORKER` expressions start children of the
/// current thread that may borrow from the enclosing function; the block
/// ends once every one of them has finished, like `std::thread::scope`.
///
/// * `spawn NAME => WORKER` starts a child and evaluates to its handle
///   ([`ScopedThread`]): `let h = spawn ...` to `join()` it, `handles.push(spawn ...)`,
///   or drop it and leave the child to the scope. `release spawn ...` starts
///   a background child. Spawns may sit anywhere: in loops, branches, match
///   arms, closures (`names.iter().map(|n| spawn *n => ...)`).
/// * NAME is a string (`"walker"`, `format!("counter-{i}")`); a spawn without
///   one is a compile error, an empty one at run time an error naming the
///   line. WORKER is a closure that names its stop signal, `|please_stop| ...`,
///   or a call of a [`#[worker]`](macro@worker) fn.
/// * A spawn written wrong is a compile error that says what to write,
///   wherever it sits: without its name (`spawn |please_stop| ...`,
///   `spawn work()`, `spawn { ... }`), without its `=>`
///   (`spawn "name" |please_stop| ...`), or in std's spelling
///   (`spawn(|please_stop| ...)`, `spawn("name", ...)`).
/// * Names of yours stay yours. `spawn` is the DSL's only where an
///   expression begins, so a path or a method is never one
///   (`std::thread::spawn(|| ...)`, a std scope's `s.spawn(...)`,
///   `spawn::Mode`), nor a binding (`let spawn`, `|spawn| ...`, a match arm's
///   pattern). A bare `spawn` is yours when what follows it may follow a
///   variable or a fn: `spawn + 1`, `spawn[0]`, `spawn.len()`, `spawn as u64`,
///   a call without a closure among its arguments (`spawn(3)`, `spawn(job)`).
///   It is the DSL's when what follows cannot follow a name (a literal, a
///   word, a block, a closure: `spawn || ...` too, so a `bool` named `spawn`
///   before `||` is written `(spawn) || ...`), and when it is called with a
///   closure among its arguments, which is std's spelling of a spawn: to call
///   a fn of your own (or std's, imported) named `spawn` with a closure inside
///   the block, write its path (`std::thread::spawn(|| ...)`,
///   `self::spawn(...)`) or `(spawn)(|| ...)`. In the head of an `if`, `while`
///   or `match` (`if let Some(job) = spawn { ... }`) and in the arguments of
///   macros other than the standard ones (`vec!`, `println!`, `assert!`, ...),
///   whose syntax is their own, only `spawn NAME => WORKER` is a spawn.
/// * `?`, `return`, `break` and `continue` in the block act on the enclosing
///   function or loop, after every child has finished (the block runs as a
///   closure; the way out is re-raised after it). `?` keeps the function's
///   `From` conversion, and works on `Option` too. The block cannot `.await`
///   (rustc says so), and no `unsafe` is emitted: it works under
///   `#![forbid(unsafe_code)]`.
/// * Ways out made by other macros act on the enclosing function too: a
///   macro that returns `Err` (`anyhow::bail!`, `ensure!`), `None` or a
///   value (`return Vec::new()`), or a nested `scope!` holding one. What the
///   closure form cannot do: such a macro in a function that returns a type
///   other than a `Result`, an `Option` or a standard value type with a
///   `Default` (numbers, `String`, `Vec`, the collections, tuples of them;
///   not your own types, nor `Instant`) is a compile error that says so
///   ("this `scope!` holds a macro that may `return` ..."); move the macro
///   out of the block (the other limits are listed below). Macros known to return nothing of their own
///   (`println!`, `format!`, `vec!`, `assert!`, `matches!`, `write!` and the
///   other standard ones, `log`'s and `tracing`'s) never ask for that.
/// * Options are inner attributes at the top of the block, as `#![allow]`
///   is for a plain block: `#![crate = "path"]` names the crate when
///   more-threads is re-exported under another path, and the policies are
///   `#![deadline = D]` or `#![move_on_after = D]`, `#![first_success]` or
///   `#![quorum = N]` (see [Scopes with a policy](#scopes-with-a-policy)
///   below). No statement is ever an option: a block whose first statement
///   is `deadline = next;` or `first_success;` keeps it as its own.
/// * The block's own inner attributes (`#![allow(unused_variables)]`,
///   `#![deny(...)]`, `#![cfg_attr(...)]`: every one that is not `scope!`'s,
///   see below) stay at the top of the block, over every statement in it
///   and every worker written there, as in a plain block. (rustc takes no
///   inner attribute on a block that is a closure's body or a `let`'s value:
///   the expansion puts them on a block where it does, and `scope!` takes
///   them wherever it is written.)
///
/// **The block is transparent**: a block that compiles as a plain block
/// compiles inside `scope!` with the same type and the same meaning. Its
/// value is the block's value, of whatever type the block has, whether that
/// type is written, comes from a `let` or the function, or is inferred
/// (`let total: u32 = scope! { ...; numbers.iter().sum() };`): nothing in the
/// expansion depends on it.
///
/// What `cargo expand` shows: each `spawn NAME => WORKER` becomes
/// `scope.spawn(NAME, WORKER)` ([`Scope::spawn`](thread::Scope::spawn)), and the rest of the block
/// is left as written. A block with no way out but its end is one call
/// running it as a closure, `__private::block(&expected, |scope| { ... })`,
/// in the `else` of an `if false { __private::expected(&expected) }` that
/// hands the closure the type the code around expects (so that the value
/// is coerced to it, as a plain block's is). In a block with ways out, each
/// `?`, `return`, `break` or `continue` that leaves it is a `match` that
/// records the way out and returns from the closure, and the code after the
/// call re-raises it once every child has finished.
///
/// What the closure form cannot do, each a compile error from rustc:
///
/// * initialise a variable declared before the block (`let total;
///   scope! { ...; total = 1; }`): "used binding `total` isn't
///   initialized"; declare it with a value, or make it the block's value
///   (`let total = scope! { ...; 1 };`);
/// * move a value only on a way out (`return Err(name)` inside, `name` used
///   after): the closure takes `name` whole, "use of moved value"; clone
///   it, or return the error after the block;
/// * `break` or `continue` made by another macro (`macro_rules!` expanding
///   to `continue`): "`continue` inside of a closure"; write the `continue`
///   in the block itself. A macro's `return Ok(..)` or `return Some(..)`
///   is refused likewise ("expected `bool`"): only its `Err` and `None`,
///   or a value of a plain type, are carried.
///
/// | how the block ends | `spawn`ed children | `release spawn`ed children |
/// |---|---|---|
/// | its end | waited for | `please_stop`, then joined |
/// | a child fails (a panic or an `Err`) | the others get `please_stop` at once | same |
/// | an early way out: `?`, `return`, `break`, `continue`, a panic | `please_stop`, then joined | same |
/// | the enclosing thread is asked to stop | its `please_stop` reaches every child | same |
///
/// What the block evaluates to, once every child has finished:
///
/// * **its end**: the block's value, as it is (an `Err` value too: it is a
///   value like any other, and the children were waited for);
/// * **its end, when a child nobody joined failed**: the block panics with
///   that failure (the first one; the later ones in [`ThreadError::later`]),
///   as `std::thread::scope` panics when a thread nobody joined panicked. A
///   thread or [`Main`] running the block reports it as its own failure,
///   naming the child. To have a failure as a value instead, join the
///   child (`h.join()?`: its failure is the join's `Err`, and the `?` is an
///   early way out that stops the others), or use the function form,
///   [`scope()`](fn@scope), which returns `Result<T, ThreadError>`;
/// * **an early way out**: it stands (the function returns, the loop breaks
///   or goes on); a failure nobody joined that came after it is logged at
///   ERROR; one that came before it (and most likely caused it) panics, as
///   at the block's end;
/// * **a panic**: it goes on; a failure nobody joined is logged.
///
/// A child that returns because it was asked to stop (`please_stop.check()?`)
/// has not failed.
///
/// ```
/// use more_threads::prelude::*;
///
/// fn total_length(lines: &[String]) -> Result<usize, ThreadError> {
///     let (first, second) = lines.split_at(lines.len() / 2);
///     scope! {
///         let left = spawn "left" => |_please_stop| first.iter().map(String::len).sum::<usize>();
///         let right = spawn "right" => |_please_stop| second.iter().map(String::len).sum::<usize>();
///         Ok(left.join()? + right.join()?)
///     }
/// }
///
/// let lines = vec!["ab".to_owned(), "cde".to_owned(), "f".to_owned()];
/// assert_eq!(total_length(&lines).unwrap(), 6);
/// ```
///
/// The fan-in that fails fast: [`as_completed`] yields each child as it
/// finishes, so a failure leaves the block at once, which stops the rest.
///
/// ```
/// use more_threads::prelude::*;
/// use more_threads::{BoxError, as_completed};
///
/// fn checksum(chunks: &[Vec<u8>]) -> Result<u64, ThreadError> {
///     scope! {
///         let handles: Vec<_> = chunks
///             .iter()
///             .enumerate()
///             .map(|(n, chunk)| spawn format!("chunk-{n}") => move |please_stop| {
///                 let mut sum = 0_u64;
///                 for byte in chunk {
///                     please_stop.check()?;
///                     if *byte == 0 {
///                         return Err(BoxError::from(format!("a zero in chunk {n}")));
///                     }
///                     sum += u64::from(*byte);
///                 }
///                 Ok(sum)
///             })
///             .collect();
///         let mut total = 0;
///         for sum in as_completed(handles) {
///             total += sum?;
///         }
///         Ok(total)
///     }
/// }
///
/// assert_eq!(checksum(&[vec![1, 2], vec![3]]).unwrap(), 6);
/// assert!(checksum(&[vec![1, 2], vec![0]]).unwrap_err().to_string().ends_with("/chunk-1 failed"));
/// ```
///
/// # Scopes with a policy
///
/// The policies of [`ScopeBuilder`](thread::ScopeBuilder), as inner
/// attributes at the top of the block, in any order (`#![crate = "path"]`
/// among them, and the block's own `#![allow(...)]`); several options may
/// share one attribute, separated by commas, as `cfg_attr` lists
/// attributes (`#![first_success, deadline = D]`):
///
/// | options | the scope evaluates to | the children are asked to stop when |
/// |---|---|---|
/// | `#![deadline = D]` | `Result<V, ThreadError>`: `Ok` of the block's value `V`, or a [`DeadlinePassed`](thread::ThreadErrorKind::DeadlinePassed) error saying what each child still running was doing | D passes, or one fails |
/// | `#![move_on_after = D]` | `Result<Option<V>, ThreadError>`: `Ok(None)` once D passed, else `Ok(Some(..))` | D passes, or one fails |
/// | `#![first_success]` | `Result<T, ThreadError>`: the first `Ok` value of a racer; if none succeeded, every failure (or [`NotEnoughSuccesses`](thread::ThreadErrorKind::NotEnoughSuccesses)) | one succeeds ([`SiblingSucceeded`](signal::StopReason::SiblingSucceeded)) |
/// | `#![quorum = N]` | `Result<Vec<T>, ThreadError>`: the first N values, in the order they came | the Nth succeeds |
/// | a race with `deadline = D` or `move_on_after = D` | `Result<T, _>` or `Result<Option<T>, _>` (`Vec<T>` for a quorum): a race decided in time is `Ok`; one that was not, `DeadlinePassed` (its racers' failures attached) or `Ok(None)` | also when D passes |
///
/// * D is a [`Duration`](std::time::Duration) from the scope's start, or a
///   [`Signal`] whose going ends the scope's time: a [`Till`]
///   (`Till::seconds(1.5)`, `Till::at(instant)`), or `&signal`. N is a
///   `usize` expression, at least 1.
/// * The scope evaluates to the `Result` the builder's method returns, the
///   block's value in it as it is, of any type. Its outcomes are values to
///   decide on, not bugs: a deadline that passed, no success, and a
///   failure nobody joined are its `Err` (a plain `scope!` panics with
///   such a failure). It returns once every child has ended, as any scope.
/// * In a race (`first_success` or `quorum`), each `spawn` of the block
///   starts a racer ([`Race::spawn`](thread::Race::spawn)): its `Ok` value
///   goes to the race, and its handle joins as `()` (or as its failure). A
///   racer's failure stops no other racer. `release spawn` starts a racer the
///   scope's end stops rather than waits for. The block has no value of
///   its own (ending it with one is a compile error that says so), and a
///   racer's worker cannot `spawn` into the race (a compile error too: open
///   a `scope!` of its own in it).
/// * Ways out (`?`, `return`, `break`, `continue`, another macro's
///   `return`) act on the enclosing function or loop once every child has
///   ended, as in a plain block, **unless the scope's outcome was settled
///   before the block left**: a child had failed that nobody joined (outside
///   a race, where failures decide nothing), the deadline had passed, or the
///   race had been decided. That way out was then most likely caused by the
///   outcome (a `?` on the join of a child it stopped), and it gives way: the
///   scope evaluates to that outcome, and the code after it runs. So a
///   `return` does not make a scope with a policy diverge: it has a value.
///   A way out that stands logs the failures nobody joined.
/// * An inner attribute is `scope!`'s when an item of it is named as an
///   option, or within two letters of a policy's (`#![dealine = D]`,
///   `#![first_sucess]`), or by another library's name for one
///   (`#![timeout = D]`). No attribute of rustc's is; any other (a lint's,
///   a tool's, `#![race]`) is the block's, for rustc to read. Each mistake
///   in the options is a compile error at the option that says what to
///   write: an unknown or misspelt one, one given twice, `deadline` with
///   `move_on_after`, `first_success` with `quorum`, a value missing, given
///   to `first_success`, in parentheses or without its `=`, an attribute of
///   rustc's among the options, and `crate = "path";` written as a
///   statement, as `scope!` once took it.
///
/// A deadline (a [`Signal`] the caller holds, here made to go at once) and
/// a `?` that gives way to it:
///
/// ```
/// use more_threads::prelude::*;
/// use more_threads::thread::ThreadErrorKind;
///
/// fn ask(time_is_up: &Signal) -> Result<u32, ThreadError> {
///     let answer = scope! {
///         #![deadline = time_is_up]
///         let asking = spawn "asking" => |please_stop| {
///             please_stop.wait(); // no answer ever comes
///             please_stop.check()?;
///             Ok::<u32, BoxError>(42)
///         };
///         time_is_up.go();
///         asking.join()? // stopped by the deadline: gives way to it
///     };
///     answer // Err(DeadlinePassed), not the `?`'s Stopped
/// }
///
/// let error = ask(&Signal::new()).unwrap_err();
/// assert_eq!(error.kind(), ThreadErrorKind::DeadlinePassed);
/// assert!(format!("{error:#}").contains("/asking was "), "{error:#}");
/// ```
///
/// `move_on_after`: `None` once the time has passed, `Some` of the block's
/// value in time.
///
/// ```
/// use more_threads::prelude::*;
/// use std::time::Duration;
///
/// let gave_up = scope! {
///     #![move_on_after = Duration::from_millis(10)]
///     spawn "forever" => |please_stop| please_stop.wait();
/// }?;
/// assert_eq!(gave_up, None);
/// let words = ["a", "few", "words"];
/// let counted = scope! {
///     #![move_on_after = Duration::from_secs(60)]
///     let count = spawn "count" => |_please_stop| words.len();
///     count.join()?
/// }?;
/// assert_eq!(counted, Some(3));
/// # Ok::<(), ThreadError>(())
/// ```
///
/// `first_success`, under a deadline: the first mirror to answer; the one
/// still waiting is asked to stop, the one that failed stopped nobody.
///
/// ```
/// use more_threads::prelude::*;
/// use std::time::Duration;
///
/// fn fetch(answer: Option<&'static str>, please_stop: &Signal) -> Result<&'static str, BoxError> {
///     match answer {
///         Some("") => Err("connection refused".into()),
///         Some(answer) => Ok(answer),
///         None => {
///             please_stop.wait(); // until another answered
///             please_stop.check()?;
///             Err("no answer".into())
///         }
///     }
/// }
///
/// let mirrors = [("stuck", None), ("down", Some("")), ("up", Some("the data"))];
/// let fastest = scope! {
///     #![first_success]
///     #![deadline = Duration::from_secs(60)]
///     for (name, answer) in mirrors {
///         spawn name => move |please_stop| fetch(answer, please_stop);
///     }
/// }?;
/// assert_eq!(fastest, "the data");
/// # Ok::<(), ThreadError>(())
/// ```
///
/// `quorum = N`: the first N values, in the order they came.
///
/// ```
/// use more_threads::prelude::*;
///
/// let replicas = [("a", 7_u64), ("b", 7), ("c", 6)];
/// let replies = scope! {
///     #![quorum = replicas.len() / 2 + 1]
///     for (name, version) in replicas {
///         spawn name => move |_please_stop| Ok::<_, BoxError>(version);
///     }
/// }?;
/// assert_eq!(replies.len(), 2);
/// # Ok::<(), ThreadError>(())
/// ```
pub use more_threads_macros::scope;

/// Runs `fn main` as the root of the thread tree, through [`Main`]: its body
/// sees `please_stop: &Signal` (which SIGINT and SIGTERM make go), and when it
/// returns the orderly shutdown runs; the exit code is non-zero on an `Err`,
/// a panic, or a child's failure nobody joined.
///
/// Options: `shutdown_deadline = SECONDS`, `handle_signals = BOOL`,
/// `logger = BOOL` (the [central logger](crate::logging) unless the program
/// installs one), `dump_on_sigquit = BOOL`,
/// `profile = "path"` and `trace = "path"` (the [`profile`]'s
/// table and timeline, written at exit; `"-"` is stderr), `console` (or
/// `console = BOOL`: serve the [live console](crate::console)), `crate = "path"`.
///
/// ```no_run
/// use more_threads::prelude::*;
///
/// #[more_threads::main(shutdown_deadline = 10)]
/// fn main() -> Result<(), ThreadError> {
///     let server = Thread::run("server", |please_stop| please_stop.wait())?;
///     please_stop.wait(); // until Ctrl-C
///     server.join()
/// }
/// ```
pub use more_threads_macros::main;

/// A `#[test]` that runs as a registered thread of the tree (`test-NAME`),
/// with `please_stop` in scope; when it returns, its children are stopped
/// and joined, and a failure of one nobody joined fails the test.
///
/// ```
/// use more_threads::prelude::*;
///
/// #[more_threads::test]
/// fn children_are_joined() {
///     Thread::run("helper", |please_stop| please_stop.wait()).unwrap().release();
/// }
/// # fn main() {}
/// ```
pub use more_threads_macros::test;

/// What the macros expand to, beyond the public API. Not for direct use: no
/// stability promise.
#[doc(hidden)]
pub mod __private {
    pub use crate::main_thread::run_test;

    /// Puts a Till on the timer, as the first wait on it would (for the
    /// benchmarks that measure Tills on the timer).
    pub fn arm(signal: &crate::signal::Signal) {
        signal.arm();
    }
    pub use crate::thread::ThreadName;
    pub use crate::thread::expansion::{
        Branch, Carry, Exit, FromResidual, Outcome, Plain, ReturnShape, Witness, block, carry,
        expected, expected_value, policy, returned, run_scope, taken,
    };
    pub use crate::thread::named_worker::{IsWorker, Named, NotAWorker};
}

/// Everything a program using more-threads usually needs, in one `use`.
///
/// ```
/// use more_threads::prelude::*;
///
/// let please_stop = Signal::new();
/// assert!(!(&please_stop | Till::seconds(60.0)).is_go());
/// let counter = Lock::new(0);
/// *counter.lock() += 1;
/// ```
pub mod prelude {
    #[cfg(unix)]
    pub use crate::process::{Output, Process};
    pub use crate::{
        BatchQueue, BoxError, Lock, PriorityQueue, Promise, Queue, Repeat, Signal, Thread,
        ThreadError, ThreadPool, Till, Worker, as_completed, dump, scope, worker,
    };
}
