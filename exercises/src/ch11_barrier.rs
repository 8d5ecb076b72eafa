//! # Chapter 11, exercise 5: `Barrier`
//!
//! ## Task
//!
//! Write asyncio's `Barrier`, simplified: `Barrier::new(parties)`, and `wait().await`, which
//! waits until `parties` tasks have called it, then lets them all go on. Each one gets its
//! arrival index (0 for the first to arrive, `parties - 1` for the last), as in asyncio.
//!
//! The contract, as the grader checks it:
//!
//! - The last party to arrive releases the others and goes on at once.
//! - A new round starts as soon as the last party arrives (no `reset`, `abort` or broken
//!   state: that is the simplification).
//! - A waiter dropped before its group is complete no longer counts; one that was released
//!   but dropped before it ran has nothing to undo.
//! - A spurious poll keeps the waiter's place.
//!
//! Use the queue's waiter line (`crate::waiters`) and chapter 11's waiting pattern.
//!
//! Grade it: `cargo test ch11_barrier`. Stuck? `cargo hint ch11_barrier` prints the
//! recipe, and so does the chapter's "Stuck?" block.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};

use crate::waiters::{Waiters, WakeList};

/// A meeting point for a fixed number of tasks: asyncio's `Barrier`, simplified.
pub struct Barrier {
    /// How many tasks make a group. At least 1.
    parties: usize,
    /// All of the changing state. Never locked while waking.
    state: Mutex<State>,
}

/// The state of a [`Barrier`].
struct State {
    /// How many tasks of the current round have arrived and not left: always below `parties`.
    count: usize,
    /// The tasks of the current round that wait for the others.
    waiters: Waiters,
}

/// The future of [`Barrier::wait`].
pub struct Wait<'a> {
    /// The barrier.
    barrier: &'a Barrier,
    /// Our arrival index and our slot in the line: `Some` from our arrival until we see our
    /// release (or are dropped).
    waiting: Option<(usize, usize)>,
}

impl Barrier {
    /// A barrier for groups of `parties` tasks.
    ///
    /// # Panics
    ///
    /// If `parties` is 0.
    pub fn new(parties: usize) -> Barrier {
        assert!(parties >= 1, "a barrier needs at least one party");
        Barrier {
            parties,
            state: Mutex::new(State {
                count: 0,
                waiters: Waiters::new(),
            }),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// How many tasks of the current round wait.
    pub fn n_waiting(&self) -> usize {
        self.state().count
    }

    /// Waits until `parties` tasks wait here; returns this task's arrival index.
    pub fn wait(&self) -> Wait<'_> {
        Wait {
            barrier: self,
            waiting: None,
        }
    }
}

impl Future for Wait<'_> {
    type Output = usize;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<usize> {
        let this = self.get_mut();
        // TODO: arrive (first poll), or find out whether this party was released.
        todo!()
    }
}

impl Drop for Wait<'_> {
    fn drop(&mut self) {
        // TODO: a party dropped before its group is complete no longer counts.
    }
}
