//! The wakers of the async tasks awaiting one Signal, and how they are woken.
//!
//! A task that awaits a Signal ([`Wait`](super::Wait)) leaves its `Waker`
//! here, in a slot the future keeps the index of. A `select!` loop makes a
//! future on every turn and drops it when another arm wins, so the three
//! things a future does to its slot must be cheap and leave nothing behind:
//! take one (the first poll that finds the Signal waiting), put another
//! waker in it (a poll from a task that moved), and give it back (the future
//! dropped while the Signal waits). The slots are a slab: a slot given back
//! goes on a list of vacant slots threaded through them, and the next
//! registration takes it, so there are never more slots than futures were
//! pending *at once*, however many were made. A slab left empty keeps its
//! room when small (the loop's next turn takes the same slot without an
//! allocation) and gives it back when large (a burst of waiters that is
//! over).
//!
//! A `then` callback would not do: it is one-shot, so a task polled with a
//! new waker would need a new callback each time, and a boxed closure per
//! registration where one slot can be written over.
//!
//! The slab lives in the Signal's state, under its lock, and is taken out
//! whole by `go`, which wakes the wakers after letting the lock go (see
//! [`Wakers::wake_all`]). Nothing here clones, wakes or drops a `Waker`
//! under that lock, because each of those runs the executor's code (see
//! [`super::future`]).

use super::Inner;
use std::task::Waker;

/// The wakers of the tasks awaiting one Signal. Boxed, and made by the first
/// registration, so that the many Signals nobody awaits (every Till) pay one
/// pointer for it.
#[derive(Default)]
pub(super) struct Wakers(Option<Box<Slab>>);

/// Slots for wakers, with a free list threaded through the vacant ones.
struct Slab {
    slots: Vec<Slot>,
    /// The first vacant slot; `slots.len()` when none is.
    first_vacant: usize,
    /// How many slots hold a waker.
    len: usize,
}

enum Slot {
    Waiting(Waker),
    /// The next vacant slot after this one, or `slots.len()` at the end of
    /// the list: the slab grows only when the list is empty, so the end
    /// stays the end while any slot is on the list.
    Vacant {
        next: usize,
    },
}

/// An empty slab up to this many slots keeps its room for the next
/// registration; a larger one gives it back.
const KEPT_WHEN_EMPTY: usize = 4;

impl Wakers {
    /// Puts `waker` in slot `slot`, if given and still taken, or in a new
    /// one; returns the slot and the waker it held before (to be dropped by
    /// the caller once the Signal's lock is let go).
    pub(super) fn register(&mut self, slot: Option<usize>, waker: Waker) -> (usize, Option<Waker>) {
        let slab = self.0.get_or_insert_with(|| {
            Box::new(Slab {
                slots: Vec::new(),
                first_vacant: 0,
                len: 0,
            })
        });
        if let Some(slot) = slot {
            if let Some(Slot::Waiting(held)) = slab.slots.get_mut(slot) {
                return (slot, Some(std::mem::replace(held, waker)));
            }
        }
        slab.len += 1;
        let index = slab.first_vacant;
        if let Some(&Slot::Vacant { next }) = slab.slots.get(index) {
            slab.slots[index] = Slot::Waiting(waker);
            slab.first_vacant = next;
            return (index, None);
        }
        // No vacant slot (`first_vacant` is the end): a new one.
        slab.slots.push(Slot::Waiting(waker));
        slab.first_vacant = slab.slots.len();
        (slab.slots.len() - 1, None)
    }

    /// Empties slot `slot`; returns the waker it held (to be dropped by the
    /// caller once the Signal's lock is let go), `None` if it held none.
    pub(super) fn remove(&mut self, slot: usize) -> Option<Waker> {
        let slab = self.0.as_mut()?;
        let held = slab.slots.get_mut(slot)?;
        let vacant = Slot::Vacant {
            next: slab.first_vacant,
        };
        let waker = match std::mem::replace(held, vacant) {
            Slot::Waiting(waker) => waker,
            already_vacant => {
                // Not taken: leave it, and the free list through it, as it was.
                *held = already_vacant;
                return None;
            }
        };
        slab.first_vacant = slot;
        slab.len -= 1;
        if slab.len == 0 {
            if slab.slots.capacity() > KEPT_WHEN_EMPTY {
                // A burst of waiters is over: give its room back.
                self.0 = None;
            } else {
                slab.slots.clear();
                slab.first_vacant = 0;
            }
        }
        Some(waker)
    }

    /// How many tasks are registered.
    pub(super) fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |slab| slab.len)
    }

    /// Takes every waker out, for `go` to wake once it has let go of the lock.
    pub(super) fn take(&mut self) -> Wakers {
        Wakers(self.0.take())
    }

    /// Wakes every task, in the order their slots come (not the order they
    /// registered: a slot given back is taken again by the next one), each
    /// isolated from the others' panics: a `Waker` is the executor's code,
    /// and one that panics is logged as a panicking `then` callback is,
    /// so the tasks after it are still woken and `go` still returns.
    pub(super) fn wake_all(self, signal: &Inner) {
        let Some(slab) = self.0 else {
            return;
        };
        for slot in slab.slots {
            if let Slot::Waiting(waker) = slot {
                if let Err(caught) = crate::panic::catch(move || waker.wake()) {
                    report!(
                        Error,
                        "more_threads::signal",
                        "waking a task awaiting Signal \"{}\" panicked: {}",
                        signal,
                        caught.message
                    );
                }
            }
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::{KEPT_WHEN_EMPTY, Slot, Wakers};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::{Wake, Waker};

    /// A waker that counts its wakes.
    struct Counting(AtomicUsize);

    impl Wake for Counting {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn counting() -> (Arc<Counting>, Waker) {
        let counter = Arc::new(Counting(AtomicUsize::new(0)));
        (counter.clone(), Waker::from(counter))
    }

    fn slots(wakers: &Wakers) -> usize {
        wakers.0.as_ref().map_or(0, |slab| slab.slots.len())
    }

    #[test]
    fn a_slot_given_back_is_taken_by_the_next_registration() {
        let mut wakers = Wakers::default();
        let (_, waker) = counting();
        let (kept, _) = wakers.register(None, waker.clone());
        let turns = if cfg!(miri) { 50 } else { 1000 };
        for _ in 0..turns {
            let (slot, replaced) = wakers.register(None, waker.clone());
            assert!(replaced.is_none(), "a new registration replaced a waker");
            assert!(wakers.remove(slot).is_some());
        }
        assert_eq!(slots(&wakers), 2, "a register/remove loop grew the slab");
        assert_eq!(wakers.len(), 1);
        assert!(wakers.remove(kept).is_some());
        assert_eq!(wakers.len(), 0);
    }

    #[test]
    fn registering_again_in_a_slot_replaces_its_waker() {
        let mut wakers = Wakers::default();
        let (first, waker) = counting();
        let (slot, _) = wakers.register(None, waker);
        let (second, other) = counting();
        let (again, replaced) = wakers.register(Some(slot), other);
        assert_eq!(again, slot, "the registration moved to another slot");
        assert!(replaced.is_some(), "the first waker was not handed back");
        assert_eq!(wakers.len(), 1);
        drop(replaced);
        wakers.take().wake_all(&crate::signal::Signal::new().inner);
        assert_eq!(
            first.0.load(Ordering::SeqCst),
            0,
            "the replaced waker was woken"
        );
        assert_eq!(
            second.0.load(Ordering::SeqCst),
            1,
            "the new waker was not woken"
        );
    }

    #[test]
    fn slots_vacated_in_any_order_are_all_reused_before_the_slab_grows() {
        let mut wakers = Wakers::default();
        let (_, waker) = counting();
        let taken: Vec<usize> = (0..10)
            .map(|_| wakers.register(None, waker.clone()).0)
            .collect();
        for slot in [3, 7, 0, 9] {
            assert!(wakers.remove(taken[slot]).is_some());
        }
        assert!(
            wakers.remove(taken[3]).is_none(),
            "a slot was emptied twice"
        );
        for _ in 0..4 {
            wakers.register(None, waker.clone());
        }
        assert_eq!(slots(&wakers), 10, "the slab grew with vacant slots left");
        assert_eq!(wakers.len(), 10);
        assert!(
            wakers.0.as_ref().is_some_and(|slab| slab
                .slots
                .iter()
                .all(|slot| matches!(slot, Slot::Waiting(_)))),
            "a vacant slot was left behind"
        );
    }

    #[test]
    fn an_emptied_slab_keeps_its_room_when_small_and_gives_it_back_when_large() {
        let mut wakers = Wakers::default();
        let (_, waker) = counting();
        let (slot, _) = wakers.register(None, waker.clone());
        wakers.remove(slot);
        assert!(
            wakers.0.is_some(),
            "a one-slot slab was freed: a loop would allocate every turn"
        );
        let taken: Vec<usize> = (0..=KEPT_WHEN_EMPTY)
            .map(|_| wakers.register(None, waker.clone()).0)
            .collect();
        for slot in taken {
            wakers.remove(slot);
        }
        assert!(wakers.0.is_none(), "an emptied large slab kept its room");
    }

    #[test]
    fn wake_all_wakes_every_registered_waker_once_and_none_removed() {
        let mut wakers = Wakers::default();
        let counters: Vec<_> = (0..5).map(|_| counting()).collect();
        let slots: Vec<usize> = counters
            .iter()
            .map(|(_, waker)| wakers.register(None, waker.clone()).0)
            .collect();
        wakers.remove(slots[1]);
        wakers.take().wake_all(&crate::signal::Signal::new().inner);
        let woken: Vec<usize> = counters
            .iter()
            .map(|(counter, _)| counter.0.load(Ordering::SeqCst))
            .collect();
        assert_eq!(woken, [1, 0, 1, 1, 1]);
        assert_eq!(wakers.len(), 0, "take() left wakers behind");
    }
}
