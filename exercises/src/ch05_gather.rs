//! # Chapter 5, exercise 1: `gather`, with one waker per child
//!
//! ## Task
//!
//! Write `gather(futures)`: a future that runs every future of `futures` inside the task that
//! awaits it, and returns their outputs **in input order**, whatever order they finish in. The
//! types are given; you write the child waker, `gather` and `poll`.
//!
//! - **Start in input order**: the first poll polls every child once, in input order. A gather of
//!   no futures is `Ready(vec![])` at its first poll.
//! - **Poll only who was woken**: every later poll polls only the children woken since the last
//!   poll, in the order they were woken, each with its own waker. Polling every child on every
//!   wake-up is the naive gather of chapter 5: with 10,000 children, 50 million polls where 20,000
//!   do.
//! - **Wake the task**: a child's waker must record which child it is and wake the task that polls
//!   the gather (whose waker may change between polls: waker rule 1).
//! - **No lost wake-up**: a child that wakes itself while it is polled (a yield) is polled at the
//!   gather's next turn, not in a loop inside this one, and not forgotten.
//! - A finished child is never polled again (waker rule 4), even if a late wake-up lists it.
//!
//! Yours need not guard against a child listed twice (polling it twice is harmless), nor recycle
//! wakers. Trap: waking the parent while holding the lock of the shared list (waker rule 5).
//!
//! Grade it: `cargo test ch05_gather` (`cargo hint ch05_gather` for the full recipe).

use std::future::Future;
use std::mem;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use futures_task::ArcWake;

/// One child: its future until it finishes, then its output until the gather returns.
enum Child<F: Future> {
    Running(Pin<Box<F>>),
    Done(Option<F::Output>),
}

/// What the children's wakers share with the gather.
#[derive(Default)]
struct Woken {
    /// The children woken since the gather's last poll, in wake order.
    indices: Vec<usize>,
    /// The waker of the task that polls the gather.
    parent: Option<Waker>,
}

/// The waker of child `index`.
struct ChildWaker {
    index: usize,
    woken: Arc<Mutex<Woken>>,
}

/// The future of [`gather`].
pub struct Gather<F: Future> {
    children: Vec<Child<F>>,
    /// One waker per child, made at the first poll.
    wakers: Vec<Waker>,
    woken: Arc<Mutex<Woken>>,
    /// Children not finished yet.
    remaining: usize,
}

// The futures are boxed, so nothing in a `Gather` is ever pinned in place.
impl<F: Future> Unpin for Gather<F> {}

impl ArcWake for ChildWaker {
    fn wake_by_ref(arc_self: &Arc<Self>) {
        // TODO
        todo!()
    }
}

/// Runs every future concurrently in the calling task; their outputs, in input order.
pub fn gather<I>(futures: I) -> Gather<I::Item>
where
    I: IntoIterator,
    I::Item: Future,
{
    // TODO: nothing runs yet.
    todo!()
}

impl<F: Future> Future for Gather<F> {
    type Output = Vec<F::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Vec<F::Output>> {
        // TODO
        todo!()
    }
}
