//! # Chapter 5, exercise 2: `try_gather`
//!
//! ## Task
//!
//! Write `try_gather(futures)` for futures that return `Result<T, E>`, on top of `tinyio::gather`
//! (the library's version of the first exercise): `Ok` with every value in input order, or the
//! **first `Err` by completion**.
//!
//! - `Catch` wraps one child so that `tinyio::gather` can run it: a success gives its value, a
//!   failure gives no value and leaves its error in the shared `error` slot. The first error stays
//!   there: a later one must not replace it.
//! - **Stop at the end of the failing poll**: the `TryGather` poll in which a child fails returns
//!   that error, and drops the inner gather before it returns, so every other child is dropped
//!   then (its destructors run) and never runs again. Children that the same poll of the gather
//!   polls *after* the failing one still get that poll (they may fail too: the first error wins).
//!   tinyio's own `try_gather` stops even earlier, at the failing child; chapter 5 shows the
//!   difference.
//! - Trap: waiting for the other children after a failure. A sibling may never finish.
//!
//! Grade it: `cargo test ch05_try_gather` (`cargo hint ch05_try_gather` for the full
//! recipe).

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

/// Where the first error goes, shared by the children and the `TryGather`.
type FirstError<E> = Arc<Mutex<Option<E>>>;

/// A child of `try_gather`: `Ok(value)` becomes `Some(value)`; `Err(e)` becomes `None`, and `e`
/// is kept in `error` unless an error is there already.
pub struct Catch<F, E> {
    future: Pin<Box<F>>,
    error: FirstError<E>,
}

/// The future of [`try_gather`].
pub struct TryGather<F, E>
where
    Catch<F, E>: Future,
{
    /// The children, inside tinyio's `gather`; `None` once the `TryGather` finished.
    inner: Option<tinyio::Gather<Catch<F, E>>>,
    error: FirstError<E>,
}

impl<F, T, E> Future for Catch<F, E>
where
    F: Future<Output = Result<T, E>>,
{
    type Output = Option<T>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        // TODO
        todo!()
    }
}

/// Runs every future concurrently in the calling task: `Ok` with every value in input order, or
/// the first `Err` by completion, at which point the other children are dropped.
pub fn try_gather<I, T, E>(futures: I) -> TryGather<I::Item, E>
where
    I: IntoIterator,
    I::Item: Future<Output = Result<T, E>>,
{
    // TODO
    todo!()
}

impl<F, T, E> Future for TryGather<F, E>
where
    F: Future<Output = Result<T, E>>,
{
    type Output = Result<Vec<T>, E>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // TODO
        todo!()
    }
}
