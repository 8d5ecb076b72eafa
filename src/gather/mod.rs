//! `gather`: run many futures concurrently inside one task, results in input order.
//!
//! This is Rust's `join_all` model, not asyncio's: the children are polled by the task that
//! awaits the gather (nothing is spawned), so they may borrow from it and need not be `Send` or
//! `'static`. Two consequences differ from `asyncio.gather`:
//! - `try_gather` returns the first error and *drops* the other children; asyncio's children are
//!   tasks that keep running after an error. To get that, spawn the children and gather their
//!   `JoinHandle`s: dropping a plain handle detaches its task, which runs on.
//! - dropping a gather drops its unfinished children, in input order (asyncio cancels them in
//!   argument order; here the cancellation is the drop). With spawned children, gather
//!   handles made with [`JoinHandle::abort_on_drop`](crate::JoinHandle::abort_on_drop) to have
//!   the cancel reach every child task. (Those handles also stop the siblings after a
//!   `try_gather` error, which is `asyncio.TaskGroup`'s behaviour rather than `gather`'s.)
//!
//! Guarantees: results in input order whatever the completion order; the first poll polls every
//! child in input order; after that a wake-up polls only the child that was woken (see
//! `core.rs`); an empty gather is ready at once, without suspending.

mod core;
mod tuple;

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

pub(crate) use self::core::{Children, Engine, Flow};
#[doc(hidden)]
pub use self::tuple::{GatherTuple, MaybeDone};

// ANCHOR: gather
/// Runs every future of `futures` concurrently in the calling task and returns their outputs
/// in input order. This is `await asyncio.gather(*futures)`.
///
/// ```
/// let squares = tinyio::run(tinyio::gather((1..=4).map(|n| async move {
///     tinyio::yield_now().await;
///     n * n
/// })));
/// assert_eq!(squares, [1, 4, 9, 16]);
/// ```
pub fn gather<I>(futures: I) -> Gather<I::Item>
where
    I: IntoIterator,
    I::Item: Future,
{
    Gather {
        children: futures.into_iter().map(MaybeDone::new).collect(),
        engine: Engine::new(),
    }
}
// ANCHOR_END: gather

/// The future of [`gather`]. Nothing runs until it is awaited; its children run inside the
/// task that awaits it, so they may borrow from it:
///
/// ```
/// let words = ["one", "two", "three"];
/// let lengths = tinyio::block_on(tinyio::gather(words.iter().map(|w| async move { w.len() })));
/// assert_eq!(lengths, [3, 3, 5]);
/// ```
#[must_use = "futures do nothing unless you .await them"]
pub struct Gather<F: Future> {
    children: Vec<MaybeDone<F>>,
    engine: Engine,
}

impl<F: Future> Children for Vec<MaybeDone<F>> {
    fn count(&self) -> usize {
        self.len()
    }

    fn poll_child(&mut self, index: usize, cx: &mut Context<'_>) -> Poll<Flow> {
        self[index].poll_child(cx).map(|()| Flow::Continue)
    }
}

impl<F: Future> Future for Gather<F> {
    type Output = Vec<F::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Vec<F::Output>> {
        let this = self.get_mut();
        match this.engine.poll(&mut this.children, cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(_) => Poll::Ready(this.children.iter_mut().map(MaybeDone::take).collect()),
        }
    }
}

/// Like [`gather`], for futures that return `Result`: `Ok` with every output in input order, or
/// the first `Err` by completion. On an error the other children are dropped at once, in input
/// order. Children woken in the same turn are polled in the order they were woken.
///
/// ```
/// let result = tinyio::run(tinyio::try_gather([1, 2, 3].map(|n| async move {
///     if n == 2 { Err(format!("{n} is bad")) } else { Ok(n) }
/// })));
/// assert_eq!(result, Err(String::from("2 is bad")));
/// ```
pub fn try_gather<I, T, E>(futures: I) -> TryGather<I::Item>
where
    I: IntoIterator,
    I::Item: Future<Output = Result<T, E>>,
{
    TryGather {
        children: TryChildren(futures.into_iter().map(MaybeDone::new).collect()),
        engine: Engine::new(),
    }
}

/// The future of [`try_gather`]. With no error, its output is every value in input order:
///
/// ```
/// let sum: Result<Vec<u32>, String> =
///     tinyio::block_on(tinyio::try_gather((1..=3).map(|n| async move { Ok(n) })));
/// assert_eq!(sum, Ok(vec![1, 2, 3]));
/// ```
#[must_use = "futures do nothing unless you .await them"]
pub struct TryGather<F: Future> {
    children: TryChildren<F>,
    engine: Engine,
}

struct TryChildren<F: Future>(Vec<MaybeDone<F>>);

impl<F, T, E> Children for TryChildren<F>
where
    F: Future<Output = Result<T, E>>,
{
    fn count(&self) -> usize {
        self.0.len()
    }

    fn poll_child(&mut self, index: usize, cx: &mut Context<'_>) -> Poll<Flow> {
        let child = &mut self.0[index];
        child.poll_child(cx).map(|()| match child.output() {
            Some(Err(_)) => Flow::Stop,
            _ => Flow::Continue,
        })
    }
}

impl<F, T, E> Future for TryGather<F>
where
    F: Future<Output = Result<T, E>>,
{
    type Output = Result<Vec<T>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        match this.engine.poll(&mut this.children, cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(failed)) => {
                let error = this.children.0[failed].take();
                this.children.0.clear(); // drops the other children, in input order
                Poll::Ready(Err(error
                    .err()
                    .expect("the failed child's output is an error")))
            }
            Poll::Ready(None) => {
                Poll::Ready(this.children.0.iter_mut().map(MaybeDone::take).collect())
            }
        }
    }
}
