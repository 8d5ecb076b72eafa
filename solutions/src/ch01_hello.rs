//! Reference answer to `exercises/src/ch01_hello.rs` (the task is written there).

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
        Hello {
            state: State::Start,
            say,
        }
    }
}

impl Future for Hello {
    type Output = u32;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        match self.state {
            State::Start => {
                (self.say)("hello");
                self.state = State::Yielded;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            State::Yielded => {
                (self.say)("world");
                self.state = State::Done;
                Poll::Ready(42)
            }
            State::Done => panic!("Hello polled after it returned Ready"),
        }
    }
}
