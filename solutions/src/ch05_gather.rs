//! Reference answer to `exercises/src/ch05_gather.rs` (the task is written there).
//!
//! A smaller cousin of tinyio's `src/gather/`: one waker per child, a list of the children woken
//! since the last poll, results in input order. It does not recycle wakers, does not guard
//! against a child being listed twice (it is then polled twice, which is harmless) and keeps no
//! notes for the deadlock report.

use std::future::Future;
use std::mem;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use futures_task::ArcWake;

// ANCHOR: types
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
// ANCHOR_END: types

// ANCHOR: child_waker
impl ArcWake for ChildWaker {
    fn wake_by_ref(arc_self: &Arc<Self>) {
        let parent = {
            let mut woken = arc_self.woken.lock().unwrap();
            woken.indices.push(arc_self.index);
            woken.parent.clone()
        };
        if let Some(parent) = parent {
            parent.wake(); // outside the lock: the parent's wake may do anything
        }
    }
}
// ANCHOR_END: child_waker

// ANCHOR: gather
/// Runs every future concurrently in the calling task; their outputs, in input order.
pub fn gather<I>(futures: I) -> Gather<I::Item>
where
    I: IntoIterator,
    I::Item: Future,
{
    let children: Vec<_> = futures
        .into_iter()
        .map(|future| Child::Running(Box::pin(future)))
        .collect();
    Gather {
        remaining: children.len(),
        children,
        wakers: Vec::new(),
        woken: Arc::default(),
    }
}
// ANCHOR_END: gather

// ANCHOR: poll
impl<F: Future> Future for Gather<F> {
    type Output = Vec<F::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Vec<F::Output>> {
        let this = self.get_mut();
        let batch = {
            let mut woken = this.woken.lock().unwrap();
            woken.parent = Some(cx.waker().clone());
            mem::take(&mut woken.indices)
        };
        let batch = if this.wakers.len() < this.children.len() {
            // The first poll: make the wakers, poll every child in input order.
            this.wakers = (0..this.children.len())
                .map(|index| {
                    let woken = this.woken.clone();
                    futures_task::waker(Arc::new(ChildWaker { index, woken }))
                })
                .collect();
            (0..this.children.len()).collect()
        } else {
            batch
        };
        for index in batch {
            let Child::Running(future) = &mut this.children[index] else {
                continue; // finished already: a late wake-up
            };
            let mut child_cx = Context::from_waker(&this.wakers[index]);
            if let Poll::Ready(output) = future.as_mut().poll(&mut child_cx) {
                this.children[index] = Child::Done(Some(output));
                this.remaining -= 1;
            }
        }
        if this.remaining > 0 {
            return Poll::Pending;
        }
        let outputs = this.children.iter_mut().map(|child| match child {
            Child::Done(output) => output.take().expect("a gather is not polled after Ready"),
            Child::Running(_) => unreachable!("every child finished"),
        });
        Poll::Ready(outputs.collect())
    }
}
// ANCHOR_END: poll
