//! The waiter line: who is waiting, in which order, and who has been told to check again.
//!
//! A queue keeps three lines: getters (waiting for an item), putters (waiting for a free slot) and
//! joiners (waiting for the unfinished count to reach zero). A waiting future owns one *slot* and
//! remembers its number, its *key*.
//!
//! Guarantees:
//! - **FIFO.** [`Waiters::notify_one`] notifies the waiter that joined the line first, among those
//!   still waiting.
//! - **A notification is a signal, not a hand-off.** Notifying takes the waiter out of the line and
//!   marks its slot `Notified`; it gives the waiter nothing. The waiter checks again when it runs,
//!   and if it still cannot go on it joins the *back* of the line with [`Waiters::join_back`].
//! - **Dead waiters are never notified.** A dropped waiter leaves the line at once
//!   ([`Waiters::cancel`]), and so does, in effect, the waiter of a task that is aborted while it
//!   waits: a waiter remembers the key of the task that polled it (`owner.rs`), and a notification
//!   skips the waiters whose task was aborted, as asyncio's `_wakeup_next` skips the futures that
//!   `task.cancel()` marked cancelled. So no wake-up is ever spent on a dead waiter, even before
//!   the aborted task's future is dropped. Removing a waiter from the middle of the line costs
//!   O(n), as `deque.remove` does in CPython.
//! - **Keeping one's place.** A waiter polled again without having been notified (a spurious poll)
//!   keeps its place; only its waker is replaced, and only if it would wake another task.
//! - **No allocation in steady state.** Slots are reused through a free list, and the vectors keep
//!   their capacity: after the first few waits, waiting and waking allocate nothing.
//!
//! This module knows nothing about items or locks: the queue calls it under its lock, takes the
//! wakers it returns, and wakes them after unlocking. Wakers that the line lets go of are not
//! dropped here either, since dropping the last clone of a waker may run any code, even code that
//! uses this queue: they are set aside, and the queue drops them after unlocking
//! ([`Waiters::take_spent`]). A copy of the line whose user never takes them drops them at its next
//! operation. Cloning a waker (in [`Waiters::join_back`] and [`Waiters::poll_turn`]) does happen
//! under the lock: for every waker built with `std::task::Wake` or `futures`' `ArcWake` a clone is
//! a reference count increment that runs no other code. It knows nothing about the runtime either:
//! a runtime that can abort tasks says which task it is polling (`owner::polling`), and a line used
//! outside such a runtime simply has no owners.

use std::collections::VecDeque;
use std::mem;
use std::task::{Poll, Waker};

use crate::owner::{self, OwnerKey};

// ANCHOR: waiters
/// The state of one waiter's slot.
enum Slot {
    /// Unused. Its key is in `Waiters::free`.
    Vacant,
    /// In the line, waiting for its turn, with the waker of its latest poll and the task that
    /// polled it (none outside a runtime).
    Waiting(Waker, Option<OwnerKey>),
    /// Taken out of the line and woken; its future has not run since.
    Notified,
    /// Taken out of the line without a wake-up, because its task was cancelled: it will never
    /// act, so it has nothing to pass on. Its future gives the slot back when dropped.
    Skipped,
}

/// A FIFO line of waiting futures, each with a "notified" flag.
pub(super) struct Waiters {
    /// Every slot, indexed by key. A slot that is not `Vacant` belongs to exactly one future,
    /// which holds its key and gives the slot back (through `poll_turn` or `cancel`).
    slots: Vec<Slot>,
    /// The keys of the `Vacant` slots, each once.
    free: Vec<usize>,
    /// The keys of the `Waiting` slots, each once, oldest first. It holds no other key.
    line: VecDeque<usize>,
    /// What the line let go of since the queue last took it, to be dropped after unlocking.
    spent: Spent,
}
// ANCHOR_END: waiters

/// Wakers a line let go of, to be dropped once the lock is released. Holds one without
/// allocating (the usual case: one cancelled waiter); more go to a `Vec`.
#[derive(Default)]
pub(crate) struct Spent {
    first: Option<Waker>,
    rest: Vec<Waker>,
}

impl Spent {
    /// Whether there is nothing to drop (the usual case).
    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.first.is_none()
    }

    fn push(&mut self, waker: Waker) {
        match self.first {
            None => self.first = Some(waker),
            Some(_) => self.rest.push(waker),
        }
    }

    /// Moves everything in `other` here.
    pub(crate) fn append(&mut self, other: &mut Spent) {
        if let Some(first) = other.first.take() {
            self.push(first);
        }
        other.rest.drain(..).for_each(|waker| self.push(waker));
    }
}

impl Waiters {
    /// An empty line. Allocates nothing.
    pub(super) const fn new() -> Waiters {
        Waiters {
            slots: Vec::new(),
            free: Vec::new(),
            line: VecDeque::new(),
            spent: Spent {
                first: None,
                rest: Vec::new(),
            },
        }
    }

    /// Whether the line let go of wakers that nobody took yet (rarely: a waiter that changed its
    /// waker, or one skipped because its task was aborted).
    #[inline]
    pub(crate) fn has_spent(&self) -> bool {
        !self.spent.is_empty()
    }

    /// Takes what the line let go of, for the caller to drop after unlocking.
    #[inline]
    pub(crate) fn take_spent(&mut self, into: &mut Spent) {
        if !self.spent.is_empty() {
            into.append(&mut self.spent);
        }
    }

    /// Drops what nobody took since the last operation (a copy of the line used without
    /// [`Waiters::take_spent`]), so that it never grows.
    #[inline]
    fn settle(&mut self) {
        if !self.spent.is_empty() {
            self.spent = Spent::default();
        }
    }

    /// Sets `slot` to `new`, putting aside the waker it held.
    fn replace(&mut self, key: usize, new: Slot) {
        if let Slot::Waiting(waker, _owner) = mem::replace(&mut self.slots[key], new) {
            self.spent.push(waker);
        }
    }

    // ANCHOR: join_back
    /// Puts a new waiter at the back of the line, with a clone of `waker`, and returns its key.
    pub(super) fn join_back(&mut self, waker: &Waker) -> usize {
        self.settle();
        // Clone first: if the clone panics, nothing has changed yet.
        let waiting = Slot::Waiting(waker.clone(), owner::current());
        let key = match self.free.pop() {
            Some(key) => {
                self.slots[key] = waiting;
                key
            }
            None => {
                self.slots.push(waiting);
                self.slots.len() - 1
            }
        };
        self.line.push_back(key);
        key
    }
    // ANCHOR_END: join_back

    // ANCHOR: poll_turn
    /// Asks, on a new poll of the waiter `key`, whether it has been notified.
    ///
    /// - `Ready(())`: it was notified. Its slot is given back (the key is no longer valid), and
    ///   the waiter must check its condition again, and join the back of the line if it still
    ///   cannot go on.
    /// - `Pending`: it was not (a spurious poll). It keeps its place; its stored waker is
    ///   replaced by `waker` unless both wake the same task.
    pub(super) fn poll_turn(&mut self, key: usize, waker: &Waker) -> Poll<()> {
        self.settle();
        match &mut self.slots[key] {
            Slot::Waiting(stored, owner) => {
                if !stored.will_wake(waker) {
                    let old = mem::replace(stored, waker.clone());
                    self.spent.push(old);
                }
                // A future may move between tasks: it belongs to the one polling it now.
                *owner = owner::current();
                Poll::Pending
            }
            // Its task was cancelled: it stays out of the running until its future is dropped.
            Slot::Skipped => Poll::Pending,
            Slot::Notified => {
                self.release(key);
                Poll::Ready(())
            }
            Slot::Vacant => unreachable!("a waiter polled slot {key}, which it does not own"),
        }
    }
    // ANCHOR_END: poll_turn

    // ANCHOR: cancel
    /// Removes the waiter `key`, which is being dropped, and gives its slot back.
    ///
    /// Returns whether it had been notified: it then got a wake-up it will never act on, and the
    /// caller must pass it on (notify the next waiter) if the condition still holds.
    pub(super) fn cancel(&mut self, key: usize) -> bool {
        self.settle();
        let notified = matches!(self.slots[key], Slot::Notified);
        if let Slot::Waiting(..) = self.slots[key] {
            // Still waiting, so it is in the line: take it out (O(n), as in CPython).
            let place = self.line.iter().position(|&k| k == key);
            self.line
                .remove(place.expect("a waiting slot is always in the line"));
        }
        self.release(key);
        notified
    }
    // ANCHOR_END: cancel

    // ANCHOR: notify
    /// Notifies the first waiter of the line whose task was not cancelled: takes it out, marks
    /// it `Notified`, and returns its waker for the caller to wake once the lock is released.
    /// The waiters of cancelled tasks in front of it leave the line on the way, unnotified.
    /// `None` if nobody (alive) waits.
    #[inline]
    pub(super) fn notify_one(&mut self) -> Option<Waker> {
        if self.line.is_empty() {
            return None; // the usual case on a busy queue: nobody waits
        }
        self.notify_first()
    }

    /// [`Waiters::notify_one`] with somebody in the line.
    fn notify_first(&mut self) -> Option<Waker> {
        loop {
            let key = self.line.pop_front()?;
            match mem::replace(&mut self.slots[key], Slot::Notified) {
                Slot::Waiting(waker, Some(owner)) if owner::is_aborted(owner) => {
                    self.slots[key] = Slot::Skipped;
                    self.spent.push(waker);
                }
                Slot::Waiting(waker, _) => return Some(waker),
                Slot::Vacant | Slot::Notified | Slot::Skipped => {
                    unreachable!("slot {key} was in the line")
                }
            }
        }
    }

    /// Notifies every waiter, first to last, adding their wakers to `wakeups`.
    pub(super) fn notify_all(&mut self, wakeups: &mut WakeList) {
        while let Some(waker) = self.notify_one() {
            wakeups.push(waker);
        }
    }
    // ANCHOR_END: notify

    /// How many waiters are in the line (notified ones are not).
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.line.len()
    }

    /// How many slots belong to a future (waiting or notified).
    #[cfg(test)]
    pub(super) fn slots_in_use(&self) -> usize {
        self.slots.len() - self.free.len()
    }

    /// How many slots exist, in use or free.
    #[cfg(test)]
    pub(super) fn slots_allocated(&self) -> usize {
        self.slots.len()
    }

    /// Marks the slot `key` vacant and puts it on the free list.
    fn release(&mut self, key: usize) {
        self.replace(key, Slot::Vacant);
        self.free.push(key);
    }
}

/// Wakers taken out under the lock, to be woken after it is released, in the order they were
/// added. Holds one waker without allocating (the usual case: one joiner); more go to a `Vec`.
pub(super) struct WakeList {
    /// The first waker added, if any.
    first: Option<Waker>,
    /// The others, in order. Empty while `first` is `None`.
    rest: Vec<Waker>,
}

impl WakeList {
    /// An empty list. Allocates nothing.
    pub(super) const fn new() -> WakeList {
        WakeList {
            first: None,
            rest: Vec::new(),
        }
    }

    /// Adds a waker at the end.
    pub(super) fn push(&mut self, waker: Waker) {
        if self.first.is_none() {
            self.first = Some(waker);
        } else {
            self.rest.push(waker);
        }
    }

    /// Wakes every waker, in order. Call it with no lock held.
    #[inline]
    pub(super) fn wake_all(self) {
        // The usual case, nobody to wake, costs one branch.
        if self.first.is_some() {
            self.wake_each();
        }
    }

    /// [`WakeList::wake_all`] with somebody to wake.
    fn wake_each(self) {
        self.first
            .into_iter()
            .chain(self.rest)
            .for_each(Waker::wake);
    }
}
