//! Planted mistakes in chapter 4's executor.
//!
//! They share one small executor, `flawed`, with a switch per mistake, written differently from
//! the solution (a `Mutex<VecDeque>` run queue, as a learner might start with); each planted
//! module turns on one mistake.

/// A run-queue executor with switchable mistakes.
mod flawed {
    use std::cell::RefCell;
    use std::collections::VecDeque;
    use std::future::Future;
    use std::panic::{AssertUnwindSafe, catch_unwind};
    use std::pin::Pin;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};
    use std::task::{Context, Poll, Waker};

    use futures_task::ArcWake;
    pub use solutions::ch04_executor::{Deadlock, JoinError};

    /// The mistakes one executor makes.
    #[derive(Clone, Copy, Default)]
    pub struct Flaws {
        /// Takes the most recently queued task first (a stack).
        pub lifo: bool,
        /// Pushes a task on every wake-up, even when it is queued already.
        pub queue_every_wake: bool,
        /// Does not catch a task's panic.
        pub no_catch: bool,
        /// When nothing is runnable, waits (spins) for a wake-up instead of reporting.
        pub spin_when_idle: bool,
        /// Clears `queued` after the poll, which forgets a wake-up made during the poll.
        pub clear_after_poll: bool,
    }

    type Job = Arc<dyn Run>;

    struct Queue {
        jobs: Mutex<VecDeque<Job>>,
        flaws: Flaws,
    }

    thread_local! {
        static CURRENT: RefCell<Option<Arc<Queue>>> = const { RefCell::new(None) };
    }

    trait Run: Send + Sync {
        fn run(self: Arc<Self>);
    }

    type Slot<T> = Arc<Mutex<(Option<Result<T, JoinError>>, Option<Waker>)>>;

    struct Job1<F: Future> {
        future: Mutex<Option<Pin<Box<F>>>>,
        queued: AtomicBool,
        queue: Arc<Queue>,
        slot: Slot<F::Output>,
    }

    impl<F: Future + Send + 'static> ArcWake for Job1<F>
    where
        F::Output: Send,
    {
        fn wake_by_ref(arc_self: &Arc<Self>) {
            let was = arc_self.queued.swap(true, Ordering::SeqCst);
            if !was || arc_self.queue.flaws.queue_every_wake {
                arc_self
                    .queue
                    .jobs
                    .lock()
                    .unwrap()
                    .push_back(arc_self.clone());
            }
        }
    }

    impl<F: Future + Send + 'static> Run for Job1<F>
    where
        F::Output: Send,
    {
        fn run(self: Arc<Self>) {
            if !self.queue.flaws.clear_after_poll {
                self.queued.store(false, Ordering::SeqCst);
            }
            let mut future = self.future.lock().unwrap();
            let Some(f) = future.as_mut() else { return };
            let waker = futures_task::waker(self.clone());
            let mut cx = Context::from_waker(&waker);
            let outcome = if self.queue.flaws.no_catch {
                Ok(f.as_mut().poll(&mut cx))
            } else {
                catch_unwind(AssertUnwindSafe(|| f.as_mut().poll(&mut cx)))
            };
            if self.queue.flaws.clear_after_poll {
                self.queued.store(false, Ordering::SeqCst);
            }
            let result = match outcome {
                Ok(Poll::Pending) => return,
                Ok(Poll::Ready(v)) => Ok(v),
                Err(p) => Err(JoinError {
                    panic: p.downcast_ref::<&str>().unwrap_or(&"?").to_string(),
                }),
            };
            *future = None;
            let mut slot = self.slot.lock().unwrap();
            slot.0 = Some(result);
            if let Some(w) = slot.1.take() {
                drop(slot);
                w.wake();
            }
        }
    }

    /// The handle.
    pub struct JoinHandle<T>(Slot<T>);

    impl<T> Future for JoinHandle<T> {
        type Output = Result<T, JoinError>;
        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
            let mut slot = self.0.lock().unwrap();
            match slot.0.take() {
                Some(r) => Poll::Ready(r),
                None => {
                    slot.1 = Some(cx.waker().clone());
                    Poll::Pending
                }
            }
        }
    }

    /// Spawns on the current executor.
    pub fn spawn<F>(future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let queue = CURRENT.with(|c| c.borrow().clone()).expect("inside run");
        let slot: Slot<F::Output> = Arc::new(Mutex::new((None, None)));
        let job = Arc::new(Job1 {
            future: Mutex::new(Some(Box::pin(future))),
            queued: AtomicBool::new(true),
            queue: queue.clone(),
            slot: slot.clone(),
        });
        queue.jobs.lock().unwrap().push_back(job);
        JoinHandle(slot)
    }

    /// Runs with the given flaws.
    pub fn run<F>(flaws: Flaws, future: F) -> Result<F::Output, Deadlock>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let queue = Arc::new(Queue {
            jobs: Mutex::new(VecDeque::new()),
            flaws,
        });
        CURRENT.with(|c| *c.borrow_mut() = Some(queue.clone()));
        let main = spawn(future);
        let out = loop {
            if let Some(result) = main.0.lock().unwrap().0.take() {
                break result.ok();
            }
            let next = {
                let mut jobs = queue.jobs.lock().unwrap();
                if flaws.lifo {
                    jobs.pop_back()
                } else {
                    jobs.pop_front()
                }
            };
            match next {
                Some(job) => job.run(),
                None if flaws.spin_when_idle => std::hint::spin_loop(),
                None => break None,
            }
        };
        CURRENT.with(|c| c.borrow_mut().take());
        queue.jobs.lock().unwrap().clear();
        out.ok_or(Deadlock)
    }
}

/// Defines a planted module: the flawed executor with one mistake turned on.
macro_rules! planted_executor {
    ($(#[$doc:meta])* $name:ident, $flaw:ident) => {
        $(#[$doc])*
        pub mod $name {
            use std::future::Future;

            pub use super::flawed::{Deadlock, JoinError, JoinHandle, spawn};

            /// Runs with this module's mistake.
            pub fn run<F>(future: F) -> Result<F::Output, Deadlock>
            where
                F: Future + Send + 'static,
                F::Output: Send + 'static,
            {
                let flaws = super::flawed::Flaws {
                    $flaw: true,
                    ..Default::default()
                };
                super::flawed::run(flaws, future)
            }
        }
    };
}

planted_executor!(
    /// Takes the newest task first: `Vec::pop` on a stack instead of a queue.
    executor_lifo,
    lifo
);
planted_executor!(
    /// Pushes the task on every wake-up, ignoring the `queued` flag.
    executor_queue_every_wake,
    queue_every_wake
);
planted_executor!(
    /// Polls without `catch_unwind`: a task's panic takes `run` down.
    executor_no_catch,
    no_catch
);
planted_executor!(
    /// Waits for a wake-up when nothing is runnable, instead of reporting the deadlock.
    executor_spin_when_idle,
    spin_when_idle
);
planted_executor!(
    /// Clears `queued` after polling: a task that yields is never queued again.
    executor_clear_after_poll,
    clear_after_poll
);
