//! # Chapter 5, exercise 2: `try_gather`
//!
//! ## Task
//!
//! Write `try_gather(futures)` for futures that return `Result<T, E>`: `Ok` with every value in
//! input order, or the **first `Err` by completion**, returned as soon as it happens. The other
//! children are then dropped at once (they never run again), in input order.
//!
//! Build it on `tinyio::gather` (the library's version of the first exercise):
//!
//! - `Catch` wraps one child. Polled, it polls the child: `Ok(value)` gives `Ready(Some(value))`;
//!   `Err(error)` stores the error in the shared `error` slot, *unless one is there already*
//!   (the first error stays), and gives `Ready(None)`.
//! - `try_gather` wraps every future in a `Catch` sharing one slot, and puts them in
//!   `tinyio::gather`.
//! - `TryGather::poll` polls the inner gather once, then looks at the slot: an error means drop
//!   the inner gather (`inner = None`, which drops the other children) and return `Err`. Do not
//!   wait for the other children: a sibling may never finish. Otherwise, `Ready(values)` gives
//!   `Ok` of the values.
//!
//! Grade it: `cargo test ch05_try_gather`.

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
        // TODO: poll the child; keep the first error in `error` and give `None` for it.
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
    // TODO: one shared error slot; each future in a `Catch`; gather them with tinyio::gather.
    todo!()
}

impl<F, T, E> Future for TryGather<F, E>
where
    F: Future<Output = Result<T, E>>,
{
    type Output = Result<Vec<T>, E>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // TODO: poll the inner gather; then, if the slot holds an error, drop the inner gather and
        // return it; otherwise pass on `Pending`, or `Ok` of the values.
        todo!()
    }
}
