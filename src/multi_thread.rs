//! The multi-threaded runtime: N worker threads taking tasks from one shared run queue.
//!
//! `Runtime::new().workers(4).run(future)` spawns `future` as the task `main`, starts four
//! worker threads that all receive from the same crossbeam channel, and returns `main`'s output.
//! Tasks, wakers, `JoinHandle`, `gather`, `Queue`, real timers and `spawn_blocking` are the same
//! as on the single-threaded runtime: they were `Send + Sync` from the start.
//!
//! What changes: the order in which tasks run now differs from run to run (two workers poll two
//! tasks at the same moment), so programs must not depend on it; the registry is behind a
//! mutex; the main future must be `Send + 'static`, because any worker may poll it; there is no
//! virtual clock and no trace (both are about one reproducible order).
//!
//! What does not change: no hang. Idle means every worker idle, nothing queued, no timer armed
//! and no registered outside source. The run queue cannot tell "empty" from "empty while a
//! worker is busy", so the pool counts *work*: a task is counted when it is pushed and
//! uncounted after its turn. A wake-up from inside a turn counts the woken task before the turn
//! ends, and a fired timer stays counted as armed until its wake-ups were pushed, so the count
//! reaches zero only when nothing is queued or running and nothing armed. The worker that sees
//! it reach zero (or an outside thread's last `KeepAlive` going) checks timers and outside
//! sources and reports the deadlock.
//!
//! Three more rules keep the workers honest:
//! - a task woken while a worker polls it is marked, not pushed (`RUNNING` in `state.rs`): the
//!   worker pushes it once when the poll ends, so no other worker takes it and blocks on its
//!   future's lock, and any number of wake-ups during one poll give one more poll;
//! - arming a timer that becomes the earliest pushes a no-op entry, so a worker that waits with
//!   no deadline (or a later one) looks again; so does the last armed timer going (fired or
//!   dropped), because a fired timer may have woken nobody and the idle check must run again;
//! - a task's wait note is kept in the task itself, so a turn takes no global lock for it; the
//!   registry reads the notes only when a report is made.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::thread;

use crossbeam_channel::{Receiver, Sender, select};

use crate::task::run_queue::{Injected, Shared};

use crate::context::{self, Entered};
use crate::deadlock::Deadlock;
use crate::join_handle::JoinHandle;
use crate::note::{self, Kept, Name};
use crate::outside::Outside;
use crate::registry::RECHECK;
use crate::registry::Registry;
use crate::sync::lock;
use crate::task::{Driver, Header, NUDGE, Nudge, Runnable, Turn, header, push};
use crate::time::{ClockKind, TimeDriver};
use crate::trace::What;

/// A multi-threaded runtime: see [`Runtime::workers`](crate::Runtime::workers).
///
/// ```
/// let runtime: tinyio::MultiThread = tinyio::Runtime::new().workers(2);
/// let sum = runtime.run(async {
///     let a = tinyio::spawn(async { 20 });
///     let b = tinyio::spawn(async { 22 });
///     a.await.unwrap() + b.await.unwrap()
/// });
/// assert_eq!(sum, 42);
/// ```
#[derive(Debug, Clone)]
pub struct MultiThread {
    workers: usize,
}

impl MultiThread {
    pub(crate) fn new(workers: usize) -> MultiThread {
        assert!(
            workers > 0,
            "Runtime::workers(0): a runtime needs at least one worker thread to run its tasks"
        );
        MultiThread { workers }
    }

    /// Runs `future` as the task `main` on the worker threads, with every task it spawns, and
    /// returns its output when it finishes. Tasks still pending then are dropped.
    ///
    /// ```
    /// let total = tinyio::Runtime::new().workers(2).run(async {
    ///     let handles: Vec<_> = (1..=10u64).map(|n| tinyio::spawn(async move { n * n })).collect();
    ///     let mut total = 0;
    ///     for handle in handles {
    ///         total += handle.await.unwrap();
    ///     }
    ///     total
    /// });
    /// assert_eq!(total, 385);
    /// ```
    ///
    /// # Panics
    ///
    /// With the deadlock report when the program can never finish; when `future` panics (the
    /// panic goes on in the caller); when called inside a running runtime.
    pub fn run<F>(&self, future: F) -> F::Output
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        match self.try_run(future) {
            Ok(output) => output,
            Err(deadlock) => panic!("{deadlock}"),
        }
    }

    /// Like [`MultiThread::run`], but returns the deadlock report as an error.
    ///
    /// ```
    /// let report = tinyio::Runtime::new()
    ///     .workers(2)
    ///     .try_run(async { tinyio::Queue::<u32>::new().get().await })
    ///     .unwrap_err();
    /// assert!(report.to_string().starts_with("deadlock"));
    /// ```
    pub fn try_run<F>(&self, future: F) -> Result<F::Output, Deadlock>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        context::assert_not_in_runtime("tinyio::Runtime::run");
        let (deadlock_tx, deadlock_rx) = crossbeam_channel::bounded(1);
        let pool = Arc::new(Pool::new(self.workers, deadlock_tx));
        let (main_tx, main_rx) = crossbeam_channel::bounded(1);
        drop(pool.spawn(
            Some(Name::from("main")),
            Main {
                future: Box::pin(future),
                done: main_tx,
                finished: pool.main_finished.clone(),
            },
        ));
        let threads: Vec<_> = (0..self.workers)
            .map(|i| {
                let pool = pool.clone();
                thread::Builder::new()
                    .name(format!("tinyio-worker-{i}"))
                    .spawn(move || pool.work())
                    .expect("tinyio: the operating system refused to start a worker thread")
            })
            .collect();
        let outcome = select! {
            recv(main_rx) -> output => Ok(output.expect("main reports before it is dropped")),
            recv(deadlock_rx) -> report => Err(report.expect("a deadlock is reported once")),
        };
        pool.stop(threads);
        match outcome {
            Ok(Ok(output)) => Ok(output),
            Ok(Err(panic)) => resume_unwind(panic),
            Err(deadlock) => Err(deadlock),
        }
    }
}

/// The state shared by the workers of one run.
pub(crate) struct Pool {
    /// What every task shares: the run queue (no local queue: every push is injected), the
    /// work count.
    queue: Arc<Shared>,
    ready: Receiver<Injected>,
    /// Live tasks, with their notes.
    registry: Mutex<Registry>,
    next_id: AtomicU64,
    /// Tasks queued or running (see the module doc). Shared with every task's header.
    work: Arc<AtomicUsize>,
    time: Arc<TimeDriver>,
    outside: Arc<Outside>,
    nudge: Arc<dyn Runnable>,
    workers: usize,
    /// Set when the run is over: workers stop after their current turn.
    stopping: AtomicBool,
    /// Set when the run is over and the live tasks are being dropped.
    closing: AtomicBool,
    /// Set by the one worker that reports the deadlock.
    reported: AtomicBool,
    /// Set while the pool is idle but a blocked future's waker is held outside tinyio: idle
    /// workers then wake up every `RECHECK` to look again.
    watching: AtomicBool,
    /// Set by `main` when it finishes: from then on, nothing is a deadlock.
    main_finished: Arc<AtomicBool>,
    deadlock: Sender<Deadlock>,
}

impl Pool {
    fn new(workers: usize, deadlock: Sender<Deadlock>) -> Pool {
        let work = Arc::new(AtomicUsize::new(0));
        let (queue, ready) = Shared::new(false, None, Some(work.clone()));
        let nudge: Arc<dyn Runnable> = Arc::new(Nudge {
            header: header(NUDGE, usize::MAX, None, &queue),
        });
        let timer_nudge = nudge.clone();
        let time = TimeDriver::with_nudge(
            ClockKind::Real,
            Some(Box::new(move || Shared::inject(timer_nudge.clone()))),
        );
        Pool {
            outside: Arc::new(Outside::new(nudge.clone())),
            queue,
            ready,
            registry: Mutex::default(),
            next_id: AtomicU64::new(0),
            work,
            time: Arc::new(time),
            nudge,
            workers,
            stopping: AtomicBool::new(false),
            closing: AtomicBool::new(false),
            reported: AtomicBool::new(false),
            watching: AtomicBool::new(false),
            main_finished: Arc::default(),
            deadlock,
        }
    }

    /// This pool's parts, to enter on a thread.
    fn entered(self: &Arc<Self>) -> Entered {
        Entered {
            runtime: Rc::new(self.clone()),
            time: self.time.clone(),
            outside: self.outside.clone(),
        }
    }

    /// Creates a task, registers it and pushes it onto the shared run queue.
    pub(crate) fn spawn<F>(&self, name: Option<Name>, future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (handle, task) = lock(&self.registry).spawn(
            self.closing.load(Ordering::SeqCst),
            |slot| header(id, slot, name, &self.queue),
            future,
        );
        match task {
            Ok(task) => push(task),
            Err(refused) => refused.cancel(), // spawned while the run is closing
        }
        handle
    }

    // ANCHOR: work
    /// One worker's loop: fire due timers, take the next task (or wait for one), run it.
    fn work(self: Arc<Self>) {
        let _entered = context::enter(self.entered(), "a tinyio worker");
        let mut fired = Vec::new();
        while !self.stopping.load(Ordering::SeqCst) {
            if self.time.is_armed() {
                self.time.fire_due(&mut fired);
            }
            let next = match self.ready.try_recv().map(|entry| entry.task) {
                Ok(task) => Some(task),
                Err(_) => match self.time.next_deadline() {
                    Some(deadline) => {
                        let wait = deadline.saturating_sub(self.time.now());
                        self.ready.recv_timeout(wait).ok().map(|entry| entry.task)
                    }
                    // Idle, waiting on wakers held outside tinyio: look again now and then
                    // in case they were dropped unwoken.
                    None if self.watching.load(Ordering::SeqCst) => {
                        match self.ready.recv_timeout(RECHECK) {
                            Ok(entry) => Some(entry.task),
                            Err(_) => {
                                self.check_idle();
                                None
                            }
                        }
                    }
                    None => self.ready.recv().ok().map(|entry| entry.task),
                },
            };
            let Some(task) = next else { continue };
            if task.header().id == NUDGE {
                self.check_idle();
                continue;
            }
            task.run(&*self);
            if self.work.fetch_sub(1, Ordering::SeqCst) == 1 {
                self.check_idle();
            }
        }
    }
    // ANCHOR_END: work

    // ANCHOR: check_idle
    /// Reports a deadlock if nothing is queued or running, no timer is armed and no outside
    /// source is registered: then nothing can ever run again.
    fn check_idle(&self) {
        let idle = self.work.load(Ordering::SeqCst) == 0
            && !self.time.is_armed()
            && !self.outside.any()
            && !self.main_finished.load(Ordering::SeqCst)
            && !self.stopping.load(Ordering::SeqCst);
        if !idle {
            self.watching.store(false, Ordering::SeqCst);
            return;
        }
        let registry = lock(&self.registry);
        if registry.may_be_woken_from_outside() {
            // Not certain: a waker is held outside tinyio. Keep looking (see `work`).
            self.watching.store(true, Ordering::SeqCst);
            return;
        }
        self.watching.store(false, Ordering::SeqCst);
        if !self.reported.swap(true, Ordering::SeqCst) {
            let blocked = registry.blocked();
            drop(registry);
            let _ = self.deadlock.send(Deadlock::new(blocked));
        }
    }
    // ANCHOR_END: check_idle

    /// Ends the run: stops the workers, then drops every live task in spawn order, on the
    /// calling thread, with the runtime entered (a destructor may spawn; it is dropped at once).
    fn stop(self: &Arc<Self>, threads: Vec<thread::JoinHandle<()>>) {
        self.stopping.store(true, Ordering::SeqCst);
        for _ in 0..self.workers {
            Shared::inject(self.nudge.clone());
        }
        for thread in threads {
            let _ = thread.join();
        }
        let _entered = context::enter(self.entered(), "tinyio::Runtime::run");
        self.closing.store(true, Ordering::SeqCst);
        self.time.close();
        let live = lock(&self.registry).take_all();
        for task in &live {
            task.cancel();
        }
        drop(live);
        while self.ready.try_recv().is_ok() {}
    }
}

impl Driver for Pool {
    fn begin_turn(&self, _header: &Header, previous: Option<Kept>) -> Turn {
        Turn::start(previous)
    }

    /// The note stays in the task itself: no global lock per turn.
    fn pending(&self, _header: &Header, turn: Turn) -> Option<Kept> {
        let note = note::take_kept();
        drop(turn);
        note
    }

    fn defers_wakeups(&self) -> bool {
        true
    }

    fn task_finished(&self, header: &Header, _what: What) {
        let entry = lock(&self.registry).remove(header.slot());
        drop(entry);
    }
}

/// The main future as a task: sends its output (or its panic) to the caller of `run`.
struct Main<F: Future> {
    future: Pin<Box<F>>,
    done: Sender<thread::Result<F::Output>>,
    /// Set before this task's turn ends, so no worker mistakes the end for a deadlock.
    finished: Arc<AtomicBool>,
}

impl<F: Future> Future for Main<F> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = &mut *self;
        let result = match catch_unwind(AssertUnwindSafe(|| this.future.as_mut().poll(cx))) {
            Ok(Poll::Pending) => return Poll::Pending,
            Ok(Poll::Ready(output)) => Ok(output),
            Err(panic) => Err(panic),
        };
        this.finished.store(true, Ordering::SeqCst);
        let _ = this.done.send(result);
        Poll::Ready(())
    }
}
