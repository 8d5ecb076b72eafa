//! Chapter 5: the naive gather. Every child gets the gather's own waker, so each poll of the
//! gather polls every unfinished child.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

// ANCHOR: naive_setup
/// A child's future until it finishes, then its output.
type Slot<F> = (Option<Pin<Box<F>>>, Option<<F as Future>::Output>);

/// Polls every unfinished child each time it is polled; outputs in input order.
pub struct NaiveGather<F: Future> {
    slots: Vec<Slot<F>>,
}

impl<F: Future> Unpin for NaiveGather<F> {}

/// Runs `futures` concurrently in the calling task.
pub fn gather<I>(futures: I) -> NaiveGather<I::Item>
where
    I: IntoIterator,
    I::Item: Future,
{
    let slots = futures.into_iter().map(|f| (Some(Box::pin(f)), None));
    NaiveGather {
        slots: slots.collect(),
    }
}

// ANCHOR_END: naive_setup

// ANCHOR: naive_poll
impl<F: Future> Future for NaiveGather<F> {
    type Output = Vec<F::Output>;

    fn poll(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Vec<F::Output>> {
        let this = self.get_mut();
        let mut pending = false;
        for (future, output) in &mut this.slots {
            let Some(running) = future else { continue };
            // Every child gets the same waker: the gather's task's.
            match running.as_mut().poll(cx) {
                Poll::Ready(value) => {
                    *output = Some(value);
                    *future = None;
                }
                Poll::Pending => pending = true,
            }
        }
        if pending {
            return Poll::Pending;
        }
        let outputs = this.slots.iter_mut().map(|(_, out)| out.take());
        Poll::Ready(outputs.map(|out| out.expect("finished")).collect())
    }
}
// ANCHOR_END: naive_poll
