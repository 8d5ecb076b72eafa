//! # Chapter 1, exercise 2: an `async fn`, written by hand
//!
//! ## Task
//!
//! The compiler turns this `async fn` into a state machine:
//!
//! ```text
//! async fn hello(say: fn(&str)) -> u32 {
//!     say("hello");
//!     yield_now().await; // wakes its own waker, returns Pending once
//!     say("world");
//!     42
//! }
//! ```
//!
//! Write that state machine yourself: `Hello::new(say)` and `Future for Hello`.
//! - Futures are lazy: `new` only stores; nothing is said before the first poll.
//! - First poll: say `hello`, wake the waker, return `Pending` (in that order, as the `async fn`).
//! - Second poll: say `world`, return `Ready(42)`.
//! - Polled again after `Ready`: panic with a message, as the compiler's futures do.
//!
//! Grade it: `cargo test ch01_hello`. The answer is in `solutions/src/`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The hand-written state machine of `hello`.
pub struct Hello {
    /// Where the `async fn` would be: before its first line, at its `.await`, or finished.
    state: State,
    /// The function that prints (the grader passes one that writes to its trace).
    say: fn(&str),
}

/// The places where `hello` can be.
enum State {
    /// Created, not polled yet.
    Start,
    /// Suspended at `yield_now().await`.
    Yielded,
    /// Returned `Ready`.
    Done,
}

impl Hello {
    /// Creates the future. Like an `async fn` call, it runs none of the body.
    pub fn new(say: fn(&str)) -> Hello {
        // TODO: store `say` and the starting state; run nothing yet.
        todo!()
    }
}

impl Future for Hello {
    type Output = u32;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        // TODO: match on self.state, do that step's work and move to the next state.
        todo!()
    }
}
