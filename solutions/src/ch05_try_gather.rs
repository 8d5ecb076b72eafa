//! Reference answer to `exercises/src/ch05_try_gather.rs` (the task is written there).
//!
//! `try_gather` on top of tinyio's `gather`: each child is wrapped in a `Catch` that turns an
//! `Err` into "no value" and keeps the first error; after each poll of the inner gather, an
//! error ends the whole `try_gather`, and dropping the inner gather drops the other children.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

// ANCHOR: types
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
// ANCHOR_END: types

// ANCHOR: catch
impl<F, T, E> Future for Catch<F, E>
where
    F: Future<Output = Result<T, E>>,
{
    type Output = Option<T>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        match self.future.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Ok(value)) => Poll::Ready(Some(value)),
            Poll::Ready(Err(error)) => {
                self.error.lock().unwrap().get_or_insert(error); // the first one stays
                Poll::Ready(None)
            }
        }
    }
}
// ANCHOR_END: catch

// ANCHOR: try_gather
/// Runs every future concurrently in the calling task: `Ok` with every value in input order, or
/// the first `Err` by completion, at which point the other children are dropped.
pub fn try_gather<I, T, E>(futures: I) -> TryGather<I::Item, E>
where
    I: IntoIterator,
    I::Item: Future<Output = Result<T, E>>,
{
    let error: FirstError<E> = Arc::new(Mutex::new(None));
    let children = futures.into_iter().map(|future| Catch {
        future: Box::pin(future),
        error: error.clone(),
    });
    TryGather {
        inner: Some(tinyio::gather(children)),
        error,
    }
}

impl<F, T, E> Future for TryGather<F, E>
where
    F: Future<Output = Result<T, E>>,
{
    type Output = Result<Vec<T>, E>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = self
            .inner
            .as_mut()
            .expect("a TryGather is not polled after Ready");
        let poll = Pin::new(inner).poll(cx);
        let failed = self.error.lock().unwrap().take();
        if let Some(error) = failed {
            self.inner = None; // drops every other child, in input order
            return Poll::Ready(Err(error));
        }
        match poll {
            Poll::Pending => Poll::Pending,
            Poll::Ready(values) => {
                self.inner = None;
                let values = values
                    .into_iter()
                    .map(|value| value.expect("no child failed"));
                Poll::Ready(Ok(values.collect()))
            }
        }
    }
}
// ANCHOR_END: try_gather
