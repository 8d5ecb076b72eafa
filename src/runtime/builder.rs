//! The builder of the single-threaded runtime (`Runtime`), and the functions a program calls:
//! `run`, `try_run`, `spawn`, `spawn_named`. The run loop itself is the parent module's.

use std::future::Future;
use std::sync::Arc;

use super::{Core, run_here};
use crate::context;
use crate::deadlock::Deadlock;
use crate::join_handle::JoinHandle;
use crate::multi_thread::{MultiThread, Pool};
use crate::note::Name;
use crate::time::ClockKind;
use crate::trace::Trace;

/// A configurable runtime: tracing, and (with `try_run`) the deadlock report as a value.
///
/// `tinyio::run(f)` is `Runtime::new().run(f)`, with tracing turned on when the environment
/// variable `TINYIO_TRACE` is set.
///
/// ```
/// let trace = tinyio::Trace::new();
/// let answer = tinyio::Runtime::new().trace(&trace).run(async { 6 * 7 });
/// assert_eq!(answer, 42);
/// assert!(trace.render().contains("main"));
/// ```
#[derive(Debug)]
pub struct Runtime {
    trace: Option<Trace>,
    clock: ClockKind,
}

impl Default for Runtime {
    fn default() -> Runtime {
        Runtime::new()
    }
}

impl Runtime {
    /// A runtime with tracing off, on the real clock.
    ///
    /// ```
    /// let runtime = tinyio::Runtime::new();
    /// assert_eq!(runtime.run(async { 1 + 1 }), 2);
    /// assert_eq!(runtime.run(async { "again" }), "again"); // one runtime, any number of runs
    /// ```
    pub fn new() -> Runtime {
        Runtime {
            trace: None,
            clock: ClockKind::Real,
        }
    }

    /// Runs on a virtual clock: whenever no task can run, time jumps straight to the next
    /// timer's deadline (the idea of trio's autojump clock and tokio's paused time). A program
    /// that sleeps for an hour ends in milliseconds, and prints the same output on every run.
    /// [`now`](crate::now) reads this clock.
    ///
    /// Time does not jump while a [`spawn_blocking`](crate::spawn_blocking) closure runs (that
    /// work is in flight, and its result may come before the timer), but a
    /// [`KeepAlive`](crate::KeepAlive) guard does not hold it back: as with tokio's paused
    /// clock, a thread of the program's own may find that virtual time moved on meanwhile.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let hour = Duration::from_secs(3600);
    /// let started = std::time::Instant::now();
    /// let on_the_clock = tinyio::Runtime::new().virtual_clock().run(async move {
    ///     tinyio::sleep(hour).await;
    ///     tinyio::now()
    /// });
    /// assert_eq!(on_the_clock, hour);
    /// assert!(started.elapsed() < Duration::from_secs(60)); // not an hour of real time
    /// ```
    pub fn virtual_clock(mut self) -> Runtime {
        self.clock = ClockKind::Virtual;
        self
    }

    /// A multi-threaded runtime with `workers` threads taking tasks from one run queue: see
    /// [`MultiThread`]. It has the real clock and no trace: both of those are about one
    /// reproducible order, which several threads do not have.
    ///
    /// ```
    /// let four = tinyio::Runtime::new().workers(2).run(async { 2 + 2 });
    /// assert_eq!(four, 4);
    /// ```
    ///
    /// # Panics
    ///
    /// With zero workers, and after [`Runtime::virtual_clock`] or [`Runtime::trace`], which it
    /// cannot honour (rather than dropping them silently).
    pub fn workers(self, workers: usize) -> MultiThread {
        assert!(
            self.clock == ClockKind::Real,
            "Runtime::virtual_clock().workers(..): the multi-threaded runtime has no virtual \
             clock (time jumps need one reproducible order, which several threads do not have). \
             Use the single-threaded runtime for virtual time, or drop .virtual_clock()."
        );
        assert!(
            self.trace.is_none(),
            "Runtime::trace(..).workers(..): the multi-threaded runtime records no trace (a \
             timeline needs one reproducible order, which several threads do not have). Use the \
             single-threaded runtime to trace, or drop .trace(..)."
        );
        MultiThread::new(workers)
    }

    /// Records every scheduling event of the next runs into `trace` (see [`Trace`]).
    ///
    /// ```
    /// let trace = tinyio::Trace::new();
    /// tinyio::Runtime::new().trace(&trace).run(async {
    ///     tinyio::spawn_named("child", async {}).await.unwrap();
    /// });
    /// assert!(trace.render().contains("spawn child"));
    /// ```
    pub fn trace(mut self, trace: &Trace) -> Runtime {
        self.trace = Some(trace.clone());
        self
    }

    /// Runs `future` to completion, with every task it spawns, and returns its output.
    ///
    /// ```
    /// let sum = tinyio::Runtime::new().run(async {
    ///     let a = tinyio::spawn(async { 1 });
    ///     let b = tinyio::spawn(async { 2 });
    ///     a.await.unwrap() + b.await.unwrap()
    /// });
    /// assert_eq!(sum, 3);
    /// ```
    ///
    /// # Panics
    ///
    /// With the deadlock report (a message that begins with `deadlock`) when the program can
    /// never finish; when called inside a running runtime; and when the main future panics
    /// (the panic goes on, after every task was dropped).
    pub fn run<F: Future>(&self, future: F) -> F::Output {
        match self.try_run(future) {
            Ok(output) => output,
            Err(deadlock) => panic!("{deadlock}"),
        }
    }

    /// Like [`Runtime::run`], but returns the deadlock report as an error instead of panicking.
    ///
    /// ```
    /// let runtime = tinyio::Runtime::new();
    /// let report = runtime
    ///     .try_run(async { tinyio::Queue::<u32>::new().get().await })
    ///     .unwrap_err();
    /// assert!(report.to_string().starts_with("deadlock"));
    /// assert_eq!(runtime.try_run(async { 5 }).ok(), Some(5));
    /// ```
    pub fn try_run<F: Future>(&self, future: F) -> Result<F::Output, Deadlock> {
        run_here(self.trace.as_ref().map(Trace::tracer), self.clock, future)
    }
}

/// Runs `future` on a new single-threaded runtime and returns its output.
///
/// This is `asyncio.run`. Tasks spawned with [`spawn`](crate::spawn) run too, in FIFO order;
/// those still pending when `future` finishes are dropped. Set `TINYIO_TRACE=1` to print a
/// timeline of every poll, wake-up and completion to standard error.
///
/// ```
/// let handle_result = tinyio::run(async {
///     let handle = tinyio::spawn(async { "hello from a task" });
///     handle.await
/// });
/// assert_eq!(handle_result.unwrap(), "hello from a task");
/// ```
///
/// # Panics
///
/// When the program can never finish, with the deadlock report (use [`try_run`] to get it as a
/// value), when called inside a running runtime, and when `future` panics.
pub fn run<F: Future>(future: F) -> F::Output {
    match try_run(future) {
        Ok(output) => output,
        Err(deadlock) => panic!("{deadlock}"),
    }
}

/// Like [`run`], but a program that can never finish returns `Err(Deadlock)` instead of
/// panicking, so it can be reported as the program likes.
///
/// ```
/// let never = tinyio::try_run(async {
///     let queue = tinyio::Queue::<u32>::new();
///     queue.get().await // nobody will ever put
/// });
/// let report = never.unwrap_err().to_string();
/// assert!(report.starts_with("deadlock"));
/// assert!(report.contains("main: Queue::get (queue empty, 0 unfinished)"));
/// ```
pub fn try_run<F: Future>(future: F) -> Result<F::Output, Deadlock> {
    if std::env::var_os("TINYIO_TRACE").is_some_and(|v| !v.is_empty() && v != "0") {
        let trace = Trace::new();
        let printer = PrintOnDrop(trace.clone());
        let result = Runtime::new().trace(&trace).try_run(future);
        drop(printer);
        result
    } else {
        Runtime::new().try_run(future)
    }
}

/// Prints the timeline when the run ends, even by a panic.
struct PrintOnDrop(Trace);

impl Drop for PrintOnDrop {
    fn drop(&mut self) {
        eprintln!("tinyio trace (TINYIO_TRACE is set):\n{}", self.0.render());
    }
}

/// Spawns `future` as a new task of the running runtime and returns its handle.
///
/// This is `asyncio.create_task`. The task starts when the caller next suspends, after the
/// tasks that were ready before it. Dropping the handle detaches the task: it keeps running.
///
/// ```
/// use std::sync::{Arc, Mutex};
///
/// let order = tinyio::run(async {
///     let log = Arc::new(Mutex::new(Vec::new()));
///     let task = tinyio::spawn({
///         let log = log.clone();
///         async move { log.lock().unwrap().push("task") }
///     });
///     log.lock().unwrap().push("main"); // the task has not started yet
///     task.await.unwrap();
///     Arc::try_unwrap(log).unwrap().into_inner().unwrap()
/// });
/// assert_eq!(order, ["main", "task"]);
/// ```
///
/// # Panics
///
/// When called outside [`run`]: a task needs a runtime to run on.
pub fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    spawn_inner(None, future)
}

/// Like [`spawn`], with a name that appears in traces, join errors and deadlock reports.
///
/// ```
/// let error = tinyio::run(async {
///     tinyio::spawn_named("worker", async { panic!("out of coffee") }).await
/// })
/// .unwrap_err();
/// assert_eq!(error.to_string(), "task worker panicked: out of coffee");
/// ```
pub fn spawn_named<F>(name: impl Into<String>, future: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    spawn_inner(Some(Name::from(name.into())), future)
}

fn spawn_inner<F>(name: Option<Name>, future: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    context::with("tinyio::spawn", |entered| {
        let runtime = &*entered.runtime;
        if let Some(core) = runtime.downcast_ref::<Core>() {
            core.spawn(name, future)
        } else if let Some(pool) = runtime.downcast_ref::<Arc<Pool>>() {
            pool.spawn(name, future)
        } else {
            unreachable!("the entered runtime is a Core or a Pool")
        }
    })
}
