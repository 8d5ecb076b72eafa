//! Planted mistakes in chapter 1's exercises.

/// A countdown that forgets to wake its waker before returning `Pending`.
pub mod countdown_no_wake {
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    /// The countdown.
    pub struct Countdown(u32);

    impl Countdown {
        /// A countdown from `n`.
        pub fn new(n: u32) -> Countdown {
            Countdown(n)
        }
    }

    impl Future for Countdown {
        type Output = ();
        fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
            if self.0 == 0 {
                return Poll::Ready(());
            }
            self.0 -= 1;
            Poll::Pending // the mistake: nobody will poll it again
        }
    }
}

/// A countdown that stops one `Pending` early.
pub mod countdown_off_by_one {
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    /// The countdown.
    pub struct Countdown(u32);

    impl Countdown {
        /// A countdown from `n`.
        pub fn new(n: u32) -> Countdown {
            Countdown(n)
        }
    }

    impl Future for Countdown {
        type Output = ();
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            self.0 = self.0.saturating_sub(1);
            if self.0 == 0 {
                // the mistake: counts down before looking
                return Poll::Ready(());
            }
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

/// A `Hello` that runs its first step when it is created, not on its first poll.
pub mod hello_eager {
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    /// The eager future.
    pub struct Hello {
        say: fn(&str),
        polls: u8,
    }

    impl Hello {
        /// The mistake: says hello right away.
        pub fn new(say: fn(&str)) -> Hello {
            say("hello");
            Hello { say, polls: 0 }
        }
    }

    impl Future for Hello {
        type Output = u32;
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
            self.polls += 1;
            match self.polls {
                1 => {
                    cx.waker().wake_by_ref();
                    Poll::Pending
                }
                2 => {
                    (self.say)("world");
                    Poll::Ready(42)
                }
                _ => panic!("polled after Ready"),
            }
        }
    }
}

/// A `Hello` that returns `Ready(42)` again when polled after `Ready`, instead of panicking.
pub mod hello_ready_forever {
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    /// The future.
    pub struct Hello {
        say: fn(&str),
        yielded: bool,
    }

    impl Hello {
        /// Lazy, as it should be.
        pub fn new(say: fn(&str)) -> Hello {
            Hello {
                say,
                yielded: false,
            }
        }
    }

    impl Future for Hello {
        type Output = u32;
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
            if !self.yielded {
                (self.say)("hello");
                self.yielded = true;
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            (self.say)("world"); // the mistake: no Done state, so it runs its last step again
            Poll::Ready(42)
        }
    }
}
