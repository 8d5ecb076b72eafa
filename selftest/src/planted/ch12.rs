//! Planted mistakes in chapter 12's exercises.

/// `sleep` reads the clock when it is called, not at the first poll.
pub mod sleep_eager_deadline {
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll};
    use std::time::Duration;

    pub use solutions::ch12_sleep::{TimerId, Timers};

    /// The future.
    pub struct Sleep<T: Timers> {
        timers: T,
        deadline: Duration,
        armed: Option<TimerId>,
    }

    /// The mistake: the deadline is fixed at creation.
    pub fn sleep<T: Timers>(timers: T, duration: Duration) -> Sleep<T> {
        let deadline = timers.now() + duration;
        Sleep {
            timers,
            deadline,
            armed: None,
        }
    }

    impl<T: Timers + Unpin> Future for Sleep<T> {
        type Output = ();
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            let this = &mut *self;
            match this.armed {
                None => {
                    this.armed = Some(this.timers.arm(this.deadline, cx.waker()));
                    Poll::Pending
                }
                Some(id) if this.timers.rearm(id, cx.waker()) => Poll::Pending,
                Some(_) => Poll::Ready(()),
            }
        }
    }

    impl<T: Timers> Drop for Sleep<T> {
        fn drop(&mut self) {
            if let Some(id) = self.armed.take() {
                self.timers.disarm(id);
            }
        }
    }
}

/// `sleep` arms a new timer on every poll that finds its deadline ahead.
pub mod sleep_arms_every_poll {
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll};
    use std::time::Duration;

    pub use solutions::ch12_sleep::{TimerId, Timers};

    /// The future.
    pub struct Sleep<T: Timers> {
        timers: T,
        duration: Duration,
        deadline: Option<Duration>,
        armed: Option<TimerId>,
    }

    /// Sleeps.
    pub fn sleep<T: Timers>(timers: T, duration: Duration) -> Sleep<T> {
        Sleep {
            timers,
            duration,
            deadline: None,
            armed: None,
        }
    }

    impl<T: Timers + Unpin> Future for Sleep<T> {
        type Output = ();
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            let this = &mut *self;
            let now = this.timers.now();
            let deadline = *this.deadline.get_or_insert(now + this.duration);
            if this.armed.is_some() && now >= deadline {
                return Poll::Ready(());
            }
            // The mistake: a new timer each time (the old one stays armed, too).
            this.armed = Some(this.timers.arm(deadline, cx.waker()));
            Poll::Pending
        }
    }

    impl<T: Timers> Drop for Sleep<T> {
        fn drop(&mut self) {
            if let Some(id) = self.armed.take() {
                self.timers.disarm(id);
            }
        }
    }
}

/// `sleep` never hands its timer a later poll's waker.
pub mod sleep_keeps_first_waker {
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll};
    use std::time::Duration;

    pub use solutions::ch12_sleep::{TimerId, Timers};

    /// The future.
    pub struct Sleep<T: Timers> {
        timers: T,
        duration: Duration,
        armed: Option<(TimerId, Duration)>,
    }

    /// Sleeps.
    pub fn sleep<T: Timers>(timers: T, duration: Duration) -> Sleep<T> {
        Sleep {
            timers,
            duration,
            armed: None,
        }
    }

    impl<T: Timers + Unpin> Future for Sleep<T> {
        type Output = ();
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            let this = &mut *self;
            match this.armed {
                None => {
                    let deadline = this.timers.now() + this.duration;
                    this.armed = Some((this.timers.arm(deadline, cx.waker()), deadline));
                    Poll::Pending
                }
                // The mistake: it asks the clock, and never passes on the new waker.
                Some((_, deadline)) if this.timers.now() >= deadline => Poll::Ready(()),
                Some(_) => Poll::Pending,
            }
        }
    }

    impl<T: Timers> Drop for Sleep<T> {
        fn drop(&mut self) {
            if let Some((id, _)) = self.armed.take() {
                self.timers.disarm(id);
            }
        }
    }
}

/// `sleep` without `Drop`: a dropped sleep leaves its timer armed.
pub mod sleep_no_disarm {
    use std::future::Future;
    use std::mem::ManuallyDrop;
    use std::pin::Pin;
    use std::task::{Context, Poll};
    use std::time::Duration;

    pub use solutions::ch12_sleep::{TimerId, Timers};

    /// The solution's sleep, never dropped: as if it had no `Drop`.
    pub struct Sleep<T: Timers>(ManuallyDrop<solutions::ch12_sleep::Sleep<T>>);

    /// Sleeps.
    pub fn sleep<T: Timers>(timers: T, duration: Duration) -> Sleep<T> {
        Sleep(ManuallyDrop::new(solutions::ch12_sleep::sleep(
            timers, duration,
        )))
    }

    impl<T: Timers + Unpin> Future for Sleep<T> {
        type Output = ();
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            Pin::new(&mut *self.0).poll(cx)
        }
    }
}

/// `timeout` returns `Err(Elapsed)` but keeps the inner future until it is dropped itself.
pub mod timeout_keeps_inner {
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll};
    use std::time::Duration;

    pub use tinyio::Elapsed;

    /// The future.
    pub struct Timeout<F> {
        future: Pin<Box<F>>,
        timer: tinyio::Sleep,
    }

    /// Times `future`.
    pub fn timeout<F: Future>(duration: Duration, future: F) -> Timeout<F> {
        Timeout {
            future: Box::pin(future),
            timer: tinyio::sleep(duration),
        }
    }

    impl<F: Future> Future for Timeout<F> {
        type Output = Result<F::Output, Elapsed>;
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
            let this = &mut *self;
            if let Poll::Ready(output) = this.future.as_mut().poll(cx) {
                return Poll::Ready(Ok(output));
            }
            // The mistake: the inner future lives on, unfinished, inside the Timeout.
            Pin::new(&mut this.timer).poll(cx).map(|()| Err(Elapsed))
        }
    }
}

/// `timeout` looks at the timer before the inner future: a tie goes to the timer.
pub mod timeout_timer_first {
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll};
    use std::time::Duration;

    pub use tinyio::Elapsed;

    /// A timer of its own, looked at first, in front of the solution's timeout.
    pub struct Timeout<F> {
        first: tinyio::Sleep,
        then: Option<solutions::ch12_timeout::Timeout<F>>,
    }

    /// Times `future`.
    pub fn timeout<F: Future>(duration: Duration, future: F) -> Timeout<F> {
        Timeout {
            first: tinyio::sleep(duration),
            then: Some(solutions::ch12_timeout::timeout(duration, future)),
        }
    }

    impl<F: Future> Future for Timeout<F> {
        type Output = Result<F::Output, Elapsed>;
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
            let this = &mut *self;
            // The mistake: the timer first.
            if Pin::new(&mut this.first).poll(cx).is_ready() {
                this.then = None;
                return Poll::Ready(Err(Elapsed));
            }
            let then = this.then.as_mut().expect("polled after Ready");
            Pin::new(then).poll(cx)
        }
    }
}

/// `timeout` spawns the inner future as a task and races its handle against the timer: on
/// time-out the handle is dropped, which detaches the task instead of cancelling it.
pub mod timeout_detaches {
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll};
    use std::time::Duration;

    pub use tinyio::Elapsed;

    /// The future.
    pub struct Timeout<T> {
        task: Option<tinyio::JoinHandle<T>>,
        timer: tinyio::Sleep,
    }

    /// The mistake: the future starts running now, as its own task.
    pub fn timeout<F>(duration: Duration, future: F) -> Timeout<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        Timeout {
            task: Some(tinyio::spawn(future)),
            timer: tinyio::sleep(duration),
        }
    }

    impl<T> Future for Timeout<T> {
        type Output = Result<T, Elapsed>;
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
            let this = &mut *self;
            let task = this.task.as_mut().expect("polled after Ready");
            if let Poll::Ready(result) = Pin::new(task).poll(cx) {
                this.task = None;
                return Poll::Ready(Ok(result.expect("the job does not panic")));
            }
            if Pin::new(&mut this.timer).poll(cx).is_ready() {
                this.task = None; // detaches: the task runs on
                return Poll::Ready(Err(Elapsed));
            }
            Poll::Pending
        }
    }
}

/// `timeout` reads the clock on every poll and wakes itself until the deadline.
pub mod timeout_busy {
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll};
    use std::time::Duration;

    pub use tinyio::Elapsed;

    /// The future.
    pub struct Timeout<F> {
        future: Option<Pin<Box<F>>>,
        duration: Duration,
        deadline: Option<Duration>,
    }

    /// Times `future`.
    pub fn timeout<F: Future>(duration: Duration, future: F) -> Timeout<F> {
        Timeout {
            future: Some(Box::pin(future)),
            duration,
            deadline: None,
        }
    }

    impl<F: Future> Future for Timeout<F> {
        type Output = Result<F::Output, Elapsed>;
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
            let this = &mut *self;
            let now = tinyio::now();
            let deadline = *this.deadline.get_or_insert(now + this.duration);
            let inner = this.future.as_mut().expect("polled after Ready");
            if let Poll::Ready(output) = inner.as_mut().poll(cx) {
                this.future = None;
                return Poll::Ready(Ok(output));
            }
            if now >= deadline {
                this.future = None;
                return Poll::Ready(Err(Elapsed));
            }
            cx.waker().wake_by_ref(); // the mistake: "poll me again to look at the clock"
            Poll::Pending
        }
    }
}
