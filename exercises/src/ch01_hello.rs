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
//! Write that state machine yourself, with the `State` enum below: `Hello::new(say)` and
//! `Future for Hello`. It must do what the compiler's version does, in the same order:
//!
//! - lazy: creating (and dropping) the future runs none of the body;
//! - each poll runs the body from where it was suspended to the next suspension or to the end;
//! - polled again after `Ready`, it panics with a message, as the compiler's futures do (chapter 2,
//!   waker rule 4).
//!
//! Grade it: `cargo test ch01_hello` (`cargo hint ch01_hello` for the full recipe).

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
        // TODO
        todo!()
    }
}

impl Future for Hello {
    type Output = u32;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        // TODO: one step of the body per poll, from the state it is in.
        todo!()
    }
}
