//! Loom models of the queue's close gate: every interleaving of `close`
//! racing `add` and `pop`.
//!
//! Run with
//! `RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom LOOM_MAX_PREEMPTIONS=3 cargo test -p more-threads --lib --release loom`.
//!
//! **What is modelled.** The part of [`Queue`](super::Queue) that decides
//! which adds are in and when the queue is over, with the very code the queue
//! runs: [`Gate`] (the closed flag and the striped adder counts, the sender
//! it keeps in a loom cell and drops at the seal, the `closed` and `sealed`
//! Signals) and [`pop_now`] (take, else read the seal, then look again). A
//! popper that finds the queue empty and not sealed sleeps on `sealed`, as
//! the queue's blocked pop wakes on the disconnect the seal makes. A use of
//! the sender that races its drop fails the model as a data race.
//!
//! **What is not.** crossbeam-channel is not loom-aware, so the channel is
//! stood in for by a loom `Mutex<VecDeque>`: its own correctness (each item
//! received once, in order per sender) and its blocking and `Select` are
//! crossbeam's, tested by crossbeam. Blocking on a full bounded queue is not
//! modelled either; the adder in these models never blocks, which is the
//! unbounded queue's add and the bounded one's when there is room.
//!
//! The properties: every add either is refused (and keeps its item) or its
//! item is popped exactly once; a popper told "drained" has seen every
//! accepted item; and `sealed` always comes (a lost seal fails as a loom
//! deadlock).

use super::gate::{Gate, Now, pop_now};
use crossbeam_channel::TryRecvError;
use loom::sync::Mutex;
use loom::sync::atomic::{AtomicBool, Ordering};
use loom::thread;
use std::collections::VecDeque;
use std::sync::Arc;

/// A stand-in for crossbeam's channel.
#[derive(Default)]
struct Channel {
    items: Mutex<VecDeque<u32>>,
    disconnected: AtomicBool,
}

/// A stand-in for the channel's one sender: dropping it disconnects.
struct FakeSender(Arc<Channel>);

impl Drop for FakeSender {
    fn drop(&mut self) {
        self.0.disconnected.store(true, Ordering::SeqCst);
    }
}

/// The gate, keeping the sender, and the channel's receiving side.
struct Model {
    gate: Gate<FakeSender>,
    channel: Arc<Channel>,
}

impl Model {
    fn new() -> Arc<Model> {
        let channel = Arc::new(Channel::default());
        Arc::new(Model {
            gate: Gate::new("modelled", FakeSender(channel.clone())),
            channel,
        })
    }

    /// `Queue::add` on an unbounded queue: enter, send, leave.
    fn add(&self, item: u32) -> bool {
        let Some(pass) = self.gate.enter() else {
            return false;
        };
        pass.with(|sender| sender.0.items.lock().unwrap().push_back(item));
        true
    }

    /// The receiver's `try_recv`: disconnected once the sender is dropped
    /// and nothing is left.
    fn try_recv(&self) -> Result<u32, TryRecvError> {
        let disconnected = self.channel.disconnected.load(Ordering::SeqCst);
        match self.channel.items.lock().unwrap().pop_front() {
            Some(item) => Ok(item),
            None if disconnected => Err(TryRecvError::Disconnected),
            None => Err(TryRecvError::Empty),
        }
    }

    /// `Queue::pop` with a till that never goes: every item until drained.
    fn pop_until_drained(&self) -> Vec<u32> {
        let mut popped = Vec::new();
        loop {
            match pop_now(&self.gate, || self.try_recv()) {
                Now::Item(item) => popped.push(item),
                Now::Drained => return popped,
                // The blocked pop wakes on the seal (or an item, which the
                // next look finds).
                Now::Empty => self.gate.sealed.wait(),
            }
        }
    }
}

#[test]
fn close_racing_an_add_and_a_pop_loses_and_duplicates_nothing() {
    loom::model(|| {
        let model = Model::new();
        let adder = {
            let model = model.clone();
            thread::spawn(move || model.add(1))
        };
        let closer = {
            let model = model.clone();
            thread::spawn(move || {
                assert!(model.gate.close(), "the only close() closes");
            })
        };
        let popped = model.pop_until_drained();
        let accepted = adder.join().unwrap();
        closer.join().unwrap();
        if accepted {
            assert_eq!(popped, vec![1], "an accepted item was lost or duplicated");
        } else {
            assert!(popped.is_empty(), "a refused item was popped");
        }
        assert!(model.gate.is_closed());
    });
}

#[test]
fn two_adders_racing_close_each_either_keep_their_item_or_have_it_popped_once() {
    loom::model(|| {
        let model = Model::new();
        let adders: Vec<_> = [1, 2]
            .into_iter()
            .map(|item| {
                let model = model.clone();
                thread::spawn(move || (item, model.add(item)))
            })
            .collect();
        model.gate.close();
        let mut popped = model.pop_until_drained();
        let mut accepted: Vec<u32> = adders
            .into_iter()
            .map(|adder| adder.join().unwrap())
            .filter_map(|(item, added)| added.then_some(item))
            .collect();
        popped.sort_unstable();
        accepted.sort_unstable();
        assert_eq!(popped, accepted, "popped items differ from accepted ones");
    });
}

#[test]
fn an_add_after_close_returned_is_always_refused_and_the_seal_still_comes() {
    loom::model(|| {
        let model = Model::new();
        let popper = {
            let model = model.clone();
            thread::spawn(move || model.pop_until_drained())
        };
        assert!(model.add(1), "added before the close");
        model.gate.close();
        assert!(
            !model.add(2),
            "an add that starts after close() returned is refused"
        );
        assert_eq!(popper.join().unwrap(), vec![1]);
        assert!(model.gate.sealed.is_go());
    });
}

#[test]
fn an_add_by_whoever_saw_closed_go_is_refused() {
    loom::model(|| {
        let model = Model::new();
        let adder = {
            let model = model.clone();
            thread::spawn(move || {
                model.gate.closed.wait();
                model.add(7)
            })
        };
        model.gate.close();
        assert!(!adder.join().unwrap(), "an add after `closed` went got in");
        assert!(model.pop_until_drained().is_empty());
    });
}
