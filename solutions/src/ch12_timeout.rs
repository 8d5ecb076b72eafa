//! Reference answer to `exercises/src/ch12_timeout.rs` (the task is written there).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

pub use tinyio::Elapsed;

/// The future returned by [`timeout`].
pub struct Timeout<F> {
    /// The future being timed, boxed so that it can be polled without `unsafe`. `None` once it
    /// finished or was dropped (dropping it is how it is cancelled).
    future: Option<Pin<Box<F>>>,
    /// The timer: armed at the first poll, like every future.
    timer: tinyio::Sleep,
}

/// Runs `future` for at most `duration`.
pub fn timeout<F: Future>(duration: Duration, future: F) -> Timeout<F> {
    Timeout {
        future: Some(Box::pin(future)),
        timer: tinyio::sleep(duration),
    }
}

impl<F: Future> Future for Timeout<F> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let Some(inner) = this.future.as_mut() else {
            panic!("a Timeout was polled again after it returned Ready");
        };
        let finished = match inner.as_mut().poll(cx) {
            Poll::Ready(output) => Ok(output),
            Poll::Pending => match Pin::new(&mut this.timer).poll(cx) {
                Poll::Ready(()) => Err(Elapsed),
                Poll::Pending => return Poll::Pending,
            },
        };
        // Finished or out of time: either way the inner future goes now. On Err, this drop
        // is the cancellation: the future's destructors run at its current `.await`.
        this.future = None;
        Poll::Ready(finished)
    }
}
