//! Chapter 1: futures by hand.

use std::future::Future;
use std::task::{Context, Poll};

use crate::Trace;

/// The shape of `std::future::Future`, restated here so the book can show it next to our code.
pub mod shape {
    use std::pin::Pin;
    use std::task::{Context, Poll};

    // ANCHOR: future_trait
    pub trait Future {
        /// What the future produces when it completes.
        type Output;

        /// Makes progress if it can: `Poll::Ready(output)` when done, otherwise
        /// `Poll::Pending`, after arranging for `cx.waker()` to be woken later.
        fn poll(
            self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<Self::Output>;
    }
    // ANCHOR_END: future_trait
}

// ANCHOR: async_fn
/// Adds two numbers, but lets other tasks run first.
pub async fn add_politely(trace: Trace, a: u32, b: u32) -> u32 {
    trace.say(format!("  add_politely({a}, {b}) starts"));
    tinyio::yield_now().await;
    trace.say("  add_politely resumes after the yield");
    a + b
}
// ANCHOR_END: async_fn

// ANCHOR: drive_by_hand
/// Polls `add_politely` by hand, printing what happens at each step.
pub fn drive_by_hand() -> Vec<String> {
    let trace = Trace::default();
    let future = add_politely(trace.clone(), 2, 3);
    trace.say("created the future: nothing has run yet");
    let mut future = Box::pin(future);
    for (poll, name) in (1..).zip(["w1", "w2", "w3"]) {
        trace.say(format!("poll {poll} with {name}"));
        let waker = trace.waker(name);
        match future.as_mut().poll(&mut Context::from_waker(&waker)) {
            Poll::Pending => trace.say("  = Pending"),
            Poll::Ready(sum) => {
                trace.say(format!("  = Ready({sum})"));
                break;
            }
        }
    }
    trace.lines()
}
// ANCHOR_END: drive_by_hand

// ANCHOR: lazy
/// A future that is created and dropped without being polled runs none of its code.
pub fn lazy() -> Vec<String> {
    let trace = Trace::default();
    let unpolled = add_politely(trace.clone(), 1, 1);
    drop(unpolled);
    trace.say("dropped an unpolled add_politely: it never started");
    let sum = tinyio::block_on(add_politely(trace.clone(), 1, 1));
    trace.say(format!("block_on(add_politely(1, 1)) = {sum}"));
    trace.lines()
}
// ANCHOR_END: lazy

#[cfg(test)]
mod tests {
    use crate::check_output;

    #[test]
    fn drive_by_hand() {
        check_output("ch01_drive_by_hand", &super::drive_by_hand());
    }

    #[test]
    fn lazy() {
        check_output("ch01_lazy", &super::lazy());
    }
}
