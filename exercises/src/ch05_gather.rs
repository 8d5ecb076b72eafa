//! # Chapter 5, exercise 1: `gather`, with one waker per child
//!
//! ## Task
//!
//! Write `gather(futures)`: a future that runs every future of `futures` inside the task that
//! awaits it, and returns their outputs **in input order**, whatever order they finish in.
//!
//! - The first poll makes one waker per child (a `ChildWaker` with the child's index) and polls
//!   every child once, in input order. A gather of no futures is `Ready(vec![])` at once.
//! - A child's waker records its index in `Woken::indices`, then wakes the gather's task (the
//!   `parent` waker, which every poll of the gather stores).
//! - Every later poll takes the indices woken since the last poll and polls **only those
//!   children**, in the order they were woken, each with its own waker; it skips a child that
//!   finished already. Never poll every child on every wake-up: with 10,000 children that is
//!   50 million polls where 20,000 do.
//! - Take the list *before* polling the batch: a child that wakes itself while it is polled (a
//!   yield) lands in the new list, and is polled at the gather's next turn.
//! - When the last child finishes, return the outputs in input order.
//!
//! Grade it: `cargo test ch05_gather`. The grader runs your gather inside `tinyio::run`, checks
//! the results and their order, and counts the children's polls, as a bound: a few per child.

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
        // TODO: push the index onto `woken.indices`, then wake the parent (outside the lock).
        todo!()
    }
}

/// Runs every future concurrently in the calling task; their outputs, in input order.
pub fn gather<I>(futures: I) -> Gather<I::Item>
where
    I: IntoIterator,
    I::Item: Future,
{
    // TODO: box every future into a `Child::Running`; no wakers yet (`wakers` is made at the first
    // poll); `remaining` is the number of children.
    todo!()
}

impl<F: Future> Future for Gather<F> {
    type Output = Vec<F::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Vec<F::Output>> {
        // TODO: store the parent waker and take the woken indices; at the first poll make the
        // wakers and poll every child instead. Poll the batch, each child with its own waker; when
        // `remaining` is 0, return the outputs in input order.
        todo!()
    }
}
