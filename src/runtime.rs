//! The single-threaded runtime: `run`, `try_run` and `spawn`.
//!
//! `run` owns a FIFO run queue (a `crossbeam-channel`) and a registry of live tasks. It polls the
//! main future and every spawned task in the order they were woken, one at a time, on the
//! calling thread, until the main future is ready.
//!
//! Guarantees:
//! - **Deterministic**: the same program wakes its tasks in the same order and so prints the same
//!   interleaving every time (as long as it does not involve other threads).
//! - **FIFO**: a woken task goes to the back of the queue; a spawned task starts only when the
//!   task that spawned it suspends, after every task that was ready before it.
//! - **Clean exit**: when the main future finishes, `run` returns and every task still pending
//!   is dropped, in spawn order, so its destructors run. Tasks and wakers form cycles (a task
//!   waits on a queue that holds its waker that holds the task), so only the registry can break
//!   them. A wake-up that arrives after `run` returned does nothing.
//! - **No hang**: when the main future is pending and nothing is runnable, nothing can ever
//!   change again, so `try_run` returns a [`Deadlock`] report and `run` panics with it, at once.
//!   Wakers carried off by threads the runtime does not know about are outside this rule: a
//!   program that wakes its tasks from its own threads must keep the main future runnable, or
//!   use `block_on`.
//! - Calling `run`, `try_run` or `block_on` inside a running runtime panics with a message that
//!   says what to do instead.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::mem;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::task::{Context, Poll};

use crossbeam_channel::{Receiver, Sender};
use futures_task::{ArcWake, waker_ref};

use crate::deadlock::{Blocked, Deadlock};
use crate::join_handle::JoinHandle;
use crate::note::{self, Name, Note, Recording};
use crate::task::{Header, Runnable, SCHEDULED, Task, schedule};
use crate::trace::{Trace, Tracer, What};

thread_local! {
    /// The runtime running on this thread, if any.
    static CONTEXT: RefCell<Option<Rc<Core>>> = const { RefCell::new(None) };
}

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
#[derive(Default)]
pub struct Runtime {
    trace: Option<Trace>,
}

impl Runtime {
    /// A runtime with tracing off.
    pub fn new() -> Runtime {
        Runtime { trace: None }
    }

    /// Records every scheduling event of the next runs into `trace` (see [`Trace`]).
    pub fn trace(mut self, trace: &Trace) -> Runtime {
        self.trace = Some(trace.clone());
        self
    }

    /// Runs `future` to completion, with every task it spawns, and returns its output.
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
    pub fn try_run<F: Future>(&self, future: F) -> Result<F::Output, Deadlock> {
        let core = Rc::new(Core::new(self.trace.as_ref().map(Trace::tracer)));
        let _entered = Entered::enter(core.clone());
        core.drive(future)
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
    let core = CONTEXT.with(|context| context.borrow().clone());
    match core {
        Some(core) => core.spawn(name, future),
        None => panic!(
            "tinyio::spawn was called outside a runtime. A task needs a runtime to run on: call \
             spawn from code that runs inside tinyio::run(async {{ ... }})."
        ),
    }
}

/// Panics with a clear message if a runtime is running on this thread (`what` is the caller).
pub(crate) fn assert_not_in_runtime(what: &str) {
    if CONTEXT.with(|context| context.borrow().is_some()) {
        panic!(
            "{what} was called inside a running tinyio runtime. It would block the runtime's only \
             thread, so no task could run, including the one that would wake it. Inside a task, \
             .await the future instead (or tinyio::spawn it)."
        );
    }
}

/// Marks this thread as running `core`; restores the previous state and drops every live task
/// when the run ends, normally or by a panic.
struct Entered {
    core: Rc<Core>,
}

impl Entered {
    fn enter(core: Rc<Core>) -> Entered {
        assert_not_in_runtime("tinyio::run");
        CONTEXT.with(|context| *context.borrow_mut() = Some(core.clone()));
        Entered { core }
    }
}

impl Drop for Entered {
    fn drop(&mut self) {
        self.core.close();
        CONTEXT.with(|context| context.borrow_mut().take());
    }
}

/// The state of one run, owned by the thread that runs it.
pub(crate) struct Core {
    /// The sending half of the run queue; every task keeps a clone.
    queue: Sender<Arc<dyn Runnable>>,
    /// The receiving half; only this thread receives.
    ready: Receiver<Arc<dyn Runnable>>,
    /// Every live task (spawned, not finished), with the note it left when it last suspended.
    registry: RefCell<Registry>,
    /// The id of the next spawned task (spawn order; 0 is the main future).
    next_id: Cell<u64>,
    /// Set when the run is over: tasks spawned from now on are dropped at once.
    closing: Cell<bool>,
    /// The trace recorder, when tracing is on.
    tracer: Option<Tracer>,
}

/// The live tasks: a slab of entries indexed by `Header::slot`.
///
/// Invariant: an entry is `Some` exactly while its task is spawned and not finished; `free`
/// holds the indices of the `None` entries.
#[derive(Default)]
struct Registry {
    entries: Vec<Option<Entry>>,
    free: Vec<usize>,
}

struct Entry {
    task: Arc<dyn Runnable>,
    note: Option<Note>,
}

/// The main future's waker: like a task, but the run loop polls the future itself, so the main
/// future needs neither `Send` nor `'static`.
struct MainTask {
    header: Header,
}

impl ArcWake for MainTask {
    fn wake_by_ref(arc_self: &Arc<Self>) {
        let task: Arc<dyn Runnable> = arc_self.clone();
        schedule(&task);
    }
}

impl Runnable for MainTask {
    fn header(&self) -> &Header {
        &self.header
    }
    fn run(self: Arc<Self>, _core: &Core) {
        unreachable!("the run loop polls the main future itself")
    }
    fn cancel(&self) {}
    fn strong_count(self: Arc<Self>) -> usize {
        Arc::strong_count(&self) - 1
    }
}

/// While alive, the runtime records what the task being polled waits on.
pub(crate) struct Turn {
    _recording: Recording,
}

impl Core {
    fn new(tracer: Option<Tracer>) -> Core {
        let (queue, ready) = crossbeam_channel::unbounded();
        Core {
            queue,
            ready,
            registry: RefCell::default(),
            next_id: Cell::new(1),
            closing: Cell::new(false),
            tracer,
        }
    }

    fn header(&self, id: u64, slot: usize, name: Option<Name>) -> Header {
        Header {
            id,
            slot,
            name,
            state: AtomicU8::new(SCHEDULED),
            has_handle: AtomicBool::new(false),
            queue: self.queue.clone(),
            tracer: self.tracer.clone(),
        }
    }

    // ANCHOR: drive
    /// The run loop: take the next ready task, run it; stop when the main future is ready.
    fn drive<F: Future>(&self, future: F) -> Result<F::Output, Deadlock> {
        let main = Arc::new(MainTask {
            header: self.header(0, usize::MAX, None),
        });
        let mut future = Box::pin(future);
        let waker = waker_ref(&main);
        let mut cx = Context::from_waker(&waker);
        let mut main_note = None;
        self.poll_main_first(&main);
        loop {
            let Ok(task) = self.ready.try_recv() else {
                // Nothing is ready and nothing outside can wake a task: a deadlock.
                let report = self.deadlock(&main, main_note);
                drop(future);
                return Err(report);
            };
            if task.header().id != 0 {
                task.run(self);
                continue;
            }
            main.header.state.fetch_and(!SCHEDULED, Ordering::AcqRel);
            let turn = self.begin_turn(&main.header);
            if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
                drop(turn);
                self.trace(&main.header, What::Done);
                return Ok(output);
            }
            main_note = note::take();
            self.trace_pending(&main.header, main_note.as_ref());
        }
    }
    // ANCHOR_END: drive

    /// Queues the main future for its first poll.
    fn poll_main_first(&self, main: &Arc<MainTask>) {
        let task: Arc<dyn Runnable> = main.clone();
        let _ = self.queue.send(task);
    }

    /// Starts a poll of the task with `header`: turns on note recording and traces the poll.
    pub(crate) fn begin_turn(&self, header: &Header) -> Turn {
        if let Some(tracer) = &self.tracer {
            tracer.begin_turn(header.label(), "poll");
        }
        Turn {
            _recording: Recording::start(),
        }
    }

    /// The task with `header` returned `Pending`: keep the note it left.
    pub(crate) fn pending(&self, header: &Header, turn: Turn) {
        let note = note::take();
        drop(turn);
        self.trace_pending(header, note.as_ref());
        if let Some(Some(entry)) = self.registry.borrow_mut().entries.get_mut(header.slot) {
            entry.note = note;
        }
    }

    fn trace_pending(&self, header: &Header, note: Option<&Note>) {
        if let Some(tracer) = &self.tracer {
            let waits = match note {
                Some(note) => note.describe(),
                None => String::from("something that left no note"),
            };
            tracer.record(header.label(), What::Pending(waits));
        }
    }

    /// Records `what` for the task with `header`, when tracing.
    pub(crate) fn trace(&self, header: &Header, what: What) {
        if let Some(tracer) = &self.tracer {
            tracer.record(header.label(), what);
        }
    }

    /// The task finished (`what` says how): take it out of the registry.
    pub(crate) fn task_finished(&self, header: &Header, what: What) {
        self.trace(header, what);
        let entry = {
            let mut registry = self.registry.borrow_mut();
            let entry = registry.entries[header.slot].take();
            registry.free.push(header.slot);
            entry
        };
        drop(entry); // outside the borrow: dropping a note may run arbitrary destructors
    }

    // ANCHOR: spawn
    /// Creates a task, registers it and puts it at the back of the run queue.
    fn spawn<F>(&self, name: Option<Name>, future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        let mut registry = self.registry.borrow_mut();
        let slot = registry.free.pop().unwrap_or_else(|| {
            registry.entries.push(None);
            registry.entries.len() - 1
        });
        let task = Arc::new(Task::new(self.header(id, slot, name), future));
        let handle = JoinHandle::new(task.clone());
        if self.closing.get() {
            registry.free.push(slot);
            drop(registry);
            task.cancel();
            return handle;
        }
        registry.entries[slot] = Some(Entry {
            task: task.clone(),
            note: None,
        });
        drop(registry);
        if let Some(tracer) = &self.tracer {
            tracer.record_spawn(task.header.label());
        }
        let _ = self.queue.send(task);
        handle
    }
    // ANCHOR_END: spawn

    // ANCHOR: close
    /// Drops every live task, in spawn order. Called once, when the run ends.
    fn close(&self) {
        self.closing.set(true);
        let mut live: Vec<Arc<dyn Runnable>> = {
            let mut registry = self.registry.borrow_mut();
            registry.free.clear();
            mem::take(&mut registry.entries)
                .into_iter()
                .flatten()
                .map(|entry| entry.task)
                .collect()
        };
        live.sort_by_key(|task| task.header().id);
        for task in &live {
            task.cancel();
        }
        // Tasks still in the run queue hold references too; let them go.
        while self.ready.try_recv().is_ok() {}
    }
    // ANCHOR_END: close

    /// Builds the report of a program that can never finish.
    fn deadlock(&self, main: &Arc<MainTask>, main_note: Option<Note>) -> Deadlock {
        let mut blocked = vec![Blocked::new(
            Name::from("main"),
            main_note,
            main.clone().strong_count() > 1,
        )];
        let registry = self.registry.borrow();
        let mut live: Vec<&Entry> = registry.entries.iter().flatten().collect();
        live.sort_by_key(|entry| entry.task.header().id);
        for entry in live {
            let header = entry.task.header();
            let handles = usize::from(header.has_handle.load(Ordering::Acquire));
            // Strong references: the registry's, the handle's, and one per live waker.
            let wakers = entry.task.clone().strong_count() - 1 - handles;
            blocked.push(Blocked::new(header.label(), entry.note.clone(), wakers > 0));
        }
        drop(registry);
        if let Some(tracer) = &self.tracer {
            tracer.record(Name::from("runtime"), What::Deadlock);
        }
        Deadlock::new(blocked)
    }
}
