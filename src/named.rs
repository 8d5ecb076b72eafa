//! `named`: give a future a name for traces and deadlock reports.
//!
//! A gather child or any inner future wrapped in [`named`] appears under its name, as in
//! `main > gather[1] consume: Queue::get (queue empty, 0 unfinished)`. Naming changes nothing
//! else: the output, the wake-ups and the order of polls are those of the inner future.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::note::{self, Name, Note, Wait};
use crate::trace;

/// Wraps `future` so that traces and deadlock reports call it `name`.
///
/// ```
/// let (a, b) = tinyio::run(tinyio::gather!(
///     tinyio::named("left", async { 1 }),
///     tinyio::named("right", async { 2 }),
/// ));
/// assert_eq!(a + b, 3);
/// ```
pub fn named<F: Future>(name: impl Into<String>, future: F) -> Named<F> {
    Named {
        name: Name::from(name.into()),
        future: Box::pin(future),
    }
}

/// The future of [`named`]: it polls the inner future and gives its output unchanged.
///
/// ```
/// let doubled = tinyio::run(tinyio::named("doubler", async { 21 * 2 }));
/// assert_eq!(doubled, 42);
/// ```
#[must_use = "futures do nothing unless you .await them"]
pub struct Named<F> {
    name: Name,
    /// Boxed so that `Named` can poll it without unsafe pin projection.
    future: Pin<Box<F>>,
}

impl<F: Future> Future for Named<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let tracer = trace::active();
        if let Some(tracer) = &tracer {
            tracer.enter(format!(" {}", self.name));
        }
        let poll = self.future.as_mut().poll(cx);
        if let Some(tracer) = &tracer {
            tracer.leave();
        }
        if poll.is_pending() && note::recording() {
            let wait = note::take().map_or(Wait::Unknown, |inner| inner.wait);
            note::set(Note {
                name: Some(self.name.clone()),
                wait,
            });
        }
        poll
    }
}
